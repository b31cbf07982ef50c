-- Per-contact state (docs/incremental.md): per person and day, the loyalty points
-- earned and redeemed (docs/loyalty.md) and the time of the day's last loyalty
-- event. Every day is kept: the balance reads the whole history, and loyalty
-- events are few. Sums only grow; a run merges the days a person gained.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id', 'activity_date'],
) }}

{%- set gained %}
    select
        contact_id,
        cast(occurred_at as date) as activity_date,
        -- Earned points count as written (a negative one takes points back); a redemption
        -- written as a negative number redeems as many points as a positive one.
        sum(case when event_type = 'loyalty_points_earned' then coalesce(points, 0) else 0 end) as points_earned,
        sum(case when event_type = 'loyalty_points_redeemed' then coalesce(abs(points), 0) else 0 end)
            as points_redeemed,
        max(occurred_at) as last_loyalty_activity_at
    from events
    group by contact_id, cast(occurred_at as date)
{%- endset %}

{{ state_table(
    events_where="event_type in ('loyalty_points_earned', 'loyalty_points_redeemed')",
    gained=gained,
    folds={'points_earned': 'sum', 'points_redeemed': 'sum', 'last_loyalty_activity_at': 'max'},
    columns=[
        "contact_id || '|' || cast(activity_date as " ~ dbt.type_string() ~ ") as contact_loyalty_day_id",
        "contact_id",
        "activity_date",
        "cast(points_earned as " ~ dbt.type_bigint() ~ ") as points_earned",
        "cast(points_redeemed as " ~ dbt.type_bigint() ~ ") as points_redeemed",
        "last_loyalty_activity_at",
    ],
) }}
