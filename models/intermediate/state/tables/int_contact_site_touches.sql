-- Per-contact state (docs/incremental.md): per person, the first and the last page
-- view ever, each as one text `<time>|<utm_source>|<utm_medium>` (touch_key) whose
-- min and max are the earliest and the latest view, so that the state folds them
-- like any other column (docs/activity.md "Traffic channels"). A run merges the
-- views a person gained.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id'],
) }}

{%- set page_views %}
    select
        contact_id,
        occurred_at,
        {{ visit_source_sql() }} as visit_source
    from events
{%- endset %}

{%- set bounds %}
    select
        contact_id,
        min(occurred_at) as first_viewed_at,
        max(occurred_at) as last_viewed_at
    from page_views
    group by contact_id
{%- endset %}

{%- set end_sources %}
    -- The source of the first and of the last view; views at the same time go to the
    -- smaller and the larger source text, as the min and max of the key would. Found
    -- from the times first: the min and max of a text key built for every page view
    -- were several times slower (docs/decisions.md).
    select
        page_views.contact_id,
        min(case when page_views.occurred_at = bounds.first_viewed_at then page_views.visit_source end)
            as first_visit_source,
        max(case when page_views.occurred_at = bounds.last_viewed_at then page_views.visit_source end)
            as last_visit_source
    from page_views
    inner join bounds
        on
            page_views.contact_id = bounds.contact_id
            and (page_views.occurred_at = bounds.first_viewed_at or page_views.occurred_at = bounds.last_viewed_at)
    group by page_views.contact_id
{%- endset %}

{%- set gained %}
    select
        bounds.contact_id,
        {{ sortable_timestamp_text('bounds.first_viewed_at') }} || '|' || end_sources.first_visit_source
            as first_page_view_touch,
        {{ sortable_timestamp_text('bounds.last_viewed_at') }} || '|' || end_sources.last_visit_source
            as last_page_view_touch
    from bounds
    inner join end_sources on bounds.contact_id = end_sources.contact_id
{%- endset %}

{{ state_table(
    events_where="event_type = 'page_view'",
    steps={'page_views': page_views, 'bounds': bounds, 'end_sources': end_sources},
    gained=gained,
    folds={'first_page_view_touch': 'min', 'last_page_view_touch': 'max'},
) }}
