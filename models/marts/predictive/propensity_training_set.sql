-- docs/predictions.md "Purchase propensity": the propensity model's training
-- set: each snapshot day d of the last propensity_history_days whose label
-- window has closed by as_of, every contact's features as of d (kept by the run
-- of that day), and the label: reached the goal in the propensity_horizon_days
-- after d. A view: read only by the training runs. The goal's model is chosen by
-- the propensity_goal var inside a macro, which refs it while dbt parses.
{{ config(materialized='view') }}
{%- set offset = var('propensity_label_offset_days') | int %}
{%- set horizon = var('propensity_horizon_days') | int %}

with

snapshots as (
    select * from {{ ref('int_propensity_snapshots') }}
    where
        snapshot_date > {{ dbt.dateadd('day', -(var('propensity_history_days') | int), as_of_date_sql()) }}
        and {{ dbt.dateadd('day', offset + horizon, 'snapshot_date') }} <= {{ as_of_date_sql() }}
),

goal_reached as (
    {{ propensity_goal_events_sql(var('propensity_goal')) }}
),

-- The window (d + offset, d + offset + horizon], in whole UTC days.
labelled as (
    select
        snapshots.propensity_snapshot_id,
        max(case when goal_reached.contact_id is not null then 1 else 0 end) as has_reached_goal
    from snapshots
    left join goal_reached
        on
            snapshots.contact_id = goal_reached.contact_id
            and goal_reached.reached_at >= {{ dbt.dateadd('day', offset + 1, 'snapshots.snapshot_date') }}
            and goal_reached.reached_at < {{ dbt.dateadd('day', offset + horizon + 1, 'snapshots.snapshot_date') }}
    group by snapshots.propensity_snapshot_id
),

final as (
    select
        snapshots.*,
        {{ stable_bucket('snapshots.contact_id') }} as sample_bucket,
        labelled.has_reached_goal = 1 as has_reached_goal
    from snapshots
    inner join labelled on snapshots.propensity_snapshot_id = labelled.propensity_snapshot_id
)

select * from final
