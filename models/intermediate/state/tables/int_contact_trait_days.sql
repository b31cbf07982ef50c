-- Per-contact state (docs/incremental.md): per person, day and trait, the events
-- behind the site traits (docs/activity.md): the traffic source of page views
-- (visit_source, '<utm_source>|<utm_medium>', kept for state_window_days), and for
-- the last interest_days the visited URL path (visited_path), the viewed product
-- category (viewed_category) and the site search phrase (search_term). Counts only
-- grow; a run merges what a person gained and drops the days out of their window.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{%- set interest_start = window_start_sql(var('interest_days')) %}
{{ config(
    unique_key=['contact_id', 'activity_date', 'trait', 'trait_value'],
    pre_hook=[
        "{% if is_incremental() %}{{ delete_rows(this, \"activity_date < cast(\" ~ window_start_sql(state_window_days()) ~ \" as date) or (trait <> 'visit_source' and activity_date < cast(\" ~ window_start_sql(var('interest_days')) ~ \" as date))\") }}{% endif %}",
    ],
) }}

{%- set traits %}
    select
        contact_id,
        occurred_at,
        'visit_source' as trait,
        {{ visit_source_sql() }} as trait_value
    from events
    where event_type = 'page_view'
    union all
    select
        contact_id,
        occurred_at,
        'visited_path' as trait,
        {{ url_path('url') }} as trait_value
    from events
    where event_type = 'page_view' and url is not null and occurred_at >= {{ interest_start }}
    union all
    select
        contact_id,
        occurred_at,
        'viewed_category' as trait,
        category as trait_value
    from events
    where event_type = 'product_view' and category is not null and occurred_at >= {{ interest_start }}
    union all
    select
        contact_id,
        occurred_at,
        'search_term' as trait,
        lower(trim(search_term)) as trait_value
    from events
    where event_type = 'site_search' and search_term is not null and occurred_at >= {{ interest_start }}
{%- endset %}

{%- set gained %}
    select
        contact_id,
        cast(occurred_at as date) as activity_date,
        trait,
        trait_value,
        count(*) as events
    from traits
    group by contact_id, cast(occurred_at as date), trait, trait_value
{%- endset %}

{{ state_table(
    events_where="event_type in ('page_view', 'product_view', 'site_search') and occurred_at >= "
        ~ window_start_sql(state_window_days()),
    steps={'traits': traits},
    gained=gained,
    folds={'events': 'sum'},
    columns=[
        "contact_id || '|' || cast(activity_date as " ~ dbt.type_string() ~ ") || '|' || trait || '|' || trait_value"
            ~ " as contact_trait_day_id",
        "contact_id",
        "activity_date",
        "trait",
        "trait_value",
        "cast(events as " ~ dbt.type_bigint() ~ ") as events",
    ],
) }}
