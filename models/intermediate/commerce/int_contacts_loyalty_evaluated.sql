-- docs/loyalty.md, per person with a loyalty event up to as_of (only they have a row:
-- contact_features joins few rows instead of one per contact, and gives the others a
-- null balance and 0 points per window):
--   loyalty_points_balance: points earned minus points redeemed, negative (as is)
--   when more was redeemed than earned.
--   loyalty_points_earned_<N>d / loyalty_points_redeemed_<N>d: points in each
--   engagement window; last_loyalty_activity_at.
{%- set windows = var('engagement_windows') %}

with

loyalty_days as (
    select * from {{ ref('int_contact_loyalty_days') }}
),

final as (
    select
        contact_id,
        cast(sum(points_earned) - sum(points_redeemed) as {{ dbt.type_bigint() }}) as loyalty_points_balance,
        {%- for days in windows %}
            {%- set since = "activity_date >= cast(" ~ window_start_sql(days) ~ " as date)" %}
            {%- for kind in ['earned', 'redeemed'] %}
                cast(sum(case when {{ since }} then points_{{ kind }} else 0 end) as {{ dbt.type_bigint() }})
                    as loyalty_points_{{ kind }}_{{ days }}d,
            {%- endfor %}
        {%- endfor %}
        max(last_loyalty_activity_at) as last_loyalty_activity_at
    from loyalty_days
    group by contact_id
)

select * from final
