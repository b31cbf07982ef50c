-- docs/activity.md "Traffic channels" and "Interests": per person with a page view
-- ever or a site event in the windows (the others get nulls in contact_features),
-- the channels of the first and last page view, the top channel, and the visited
-- channels, categories, paths and search phrases (_activity__models.yml). "Top" ties
-- go to the alphabetically first value; lists are sorted.
-- A feature table (docs/incremental.md "Feature tables"): its pre-hook deletes the
-- rows of the persons whose state the run changes and the rows whose
-- traits_change_date came, and a delta run recomputes the persons without a row
-- ({{ this }} after the delete). Its columns follow the settings (sync_all_columns):
-- a changed window is a full run, which refills it whole. At millions of persons a
-- full run is built in passes over the persons (person_pass_where).
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    materialized=incremental_materialization(holds_state=true),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ clear_rebuilt_state(this, 'contact_id', every_state_person=true,
        stale_where='traits_change_date <= ' ~ as_of_date_sql()) }}",
) }}
{%- set channel_days = var('traffic_channel_days') %}
{%- set days = var('interest_days') %}
{%- set interest_start = "cast(" ~ window_start_sql(days) ~ " as date)" %}
{%- set is_due = "true" if state_is_rebuilt()
    else "contact_id not in (select held.contact_id from " ~ this ~ " as held)" %}
{%- set pass_where = person_pass_where() %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
    where {{ is_due }} and {{ pass_where }}
),

touches as (
    select * from {{ ref('int_contact_site_touches') }}
    where {{ is_due }} and {{ pass_where }}
),

trait_days as (
    select * from {{ ref('int_contact_trait_days') }}
    where
        activity_date >= cast({{ window_start_sql(channel_days) }} as date)
        and {{ is_due }}
        and {{ pass_where }}
),

channels as (
    select * from {{ ref('int_visit_sources_channeled') }}
),

traits as (
    select
        trait_days.contact_id,
        trait_days.activity_date,
        case when trait_days.trait = 'visit_source' then 'channel' else trait_days.trait end as trait,
        coalesce(channels.channel, trait_days.trait_value) as trait_value,
        trait_days.events
    from trait_days
    left join channels on trait_days.trait = 'visit_source' and trait_days.trait_value = channels.visit_source
),

-- Channels over traffic_channel_days (all of trait_days), the other traits over interest_days.
windowed as (
    select * from traits
    where trait = 'channel' or activity_date >= {{ interest_start }}
),

value_totals as (
    select
        contact_id,
        trait,
        trait_value,
        sum(events) as events,
        max(activity_date) as last_activity_date
    from windowed
    group by contact_id, trait, trait_value
),

ranked as (
    select
        contact_id,
        trait,
        trait_value,
        row_number() over (partition by contact_id, trait order by events desc, trait_value asc) as value_rank
    from value_totals
    where trait <> 'search_term'
),

tops as (
    select
        contact_id,
        max(case when trait = 'channel' then trait_value end) as top_channel,
        max(case when trait = 'viewed_category' then trait_value end) as top_viewed_category,
        max(case when trait = 'visited_path' then trait_value end) as top_visited_path
    from ranked
    where value_rank = 1
    group by contact_id
),

-- The first as_of on which one of the person's trait days leaves a window: a channel
-- day leaves visited_channels after interest_days and the top channel after
-- traffic_channel_days, the other traits after interest_days.
changes as (
    select
        contact_id,
        min(
            case
                when trait <> 'channel' then activity_date + {{ days }}
                when {{ days }} < {{ channel_days }} and activity_date >= {{ interest_start }}
                    then activity_date + {{ days }}
                else activity_date + {{ channel_days }}
            end
        ) as traits_change_date
    from windowed
    group by contact_id
),

-- One sorted list per person and trait; a person without a trait has no row (null, not []).
lists as (
    select
        contact_id,
        trait,
        {{ string_list_agg('trait_value') }} as trait_values
    from value_totals
    where
        trait <> 'visited_path'
        and (trait <> 'channel' or last_activity_date >= {{ interest_start }})
    group by contact_id, trait
),

final as (
    select
        contacts.contact_id,
        first_touch.channel as first_touch_channel,
        last_touch.channel as last_touch_channel,
        tops.top_channel as top_channel_{{ channel_days }}d,
        channel_list.trait_values as visited_channels_{{ days }}d,
        tops.top_viewed_category as top_viewed_category_{{ days }}d,
        category_list.trait_values as viewed_categories_{{ days }}d,
        tops.top_visited_path as top_visited_path_{{ days }}d,
        search_list.trait_values as recent_search_terms_{{ days }}d,
        changes.traits_change_date
    from contacts
    left join touches on contacts.contact_id = touches.contact_id
    left join channels as first_touch
        on {{ touch_visit_source('touches.first_page_view_touch') }} = first_touch.visit_source
    left join channels as last_touch
        on {{ touch_visit_source('touches.last_page_view_touch') }} = last_touch.visit_source
    left join tops on contacts.contact_id = tops.contact_id
    left join changes on contacts.contact_id = changes.contact_id
    left join lists as channel_list on contacts.contact_id = channel_list.contact_id and channel_list.trait = 'channel'
    left join lists as category_list
        on contacts.contact_id = category_list.contact_id and category_list.trait = 'viewed_category'
    left join lists as search_list on contacts.contact_id = search_list.contact_id and search_list.trait = 'search_term'
    where
        touches.contact_id is not null
        or tops.contact_id is not null
        or category_list.contact_id is not null
        or search_list.contact_id is not null
)

select * from final
