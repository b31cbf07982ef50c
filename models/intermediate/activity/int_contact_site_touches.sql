-- Per-contact state (docs/incremental.md): per person, the first and the last page
-- view ever, each as one text `<time>|<utm_source>|<utm_medium>` (touch_key) whose
-- min and max are the earliest and the latest view, so that the state folds them
-- like any other column (docs/activity.md "Traffic channels"). A run merges the
-- views a person gained.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    materialized=incremental_materialization(),
    unique_key=['contact_id'],
    incremental_strategy='state_merge',
    on_schema_change='fail',
    pre_hook="{{ clear_rebuilt_state(this, 'contact_id') }}",
) }}

with

events as (
    {{ state_events("event_type = 'page_view'") }}
),

keyed as (
    select
        contact_id,
        {{ sortable_timestamp_text('occurred_at') }} || '|' || {{ visit_source_sql() }} as touch_key
    from events
),

gained as (
    select
        contact_id,
        min(touch_key) as first_page_view_touch,
        max(touch_key) as last_page_view_touch
    from keyed
    group by contact_id
),

{{ fold_into_state(keys=['contact_id'], folds={'first_page_view_touch': 'min', 'last_page_view_touch': 'max'}) }},

final as (
    select * from combined
)

select * from final
