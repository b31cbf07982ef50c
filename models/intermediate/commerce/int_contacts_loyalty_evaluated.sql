-- docs/loyalty.md, per person, from the loyalty events up to as_of:
--   loyalty_points_balance: points earned minus points redeemed; null for a person
--   with no loyalty event, negative (as is) when more was redeemed than earned.
--   loyalty_points_earned_<N>d / loyalty_points_redeemed_<N>d: points in each
--   engagement window (0 without events); last_loyalty_activity_at.
{%- set windows = var('engagement_windows') %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

loyalty_days as (
    select * from {{ ref('int_contact_loyalty_days') }}
),

totals as (
    select
        contact_id,
        sum(points_earned) - sum(points_redeemed) as loyalty_points_balance,
        {%- for days in windows %}
            {%- set since = "activity_date >= cast(" ~ window_start_sql(days) ~ " as date)" %}
            sum(case when {{ since }} then points_earned else 0 end) as loyalty_points_earned_{{ days }}d,
            sum(case when {{ since }} then points_redeemed else 0 end) as loyalty_points_redeemed_{{ days }}d,
        {%- endfor %}
        max(last_loyalty_activity_at) as last_loyalty_activity_at
    from loyalty_days
    group by contact_id
),

final as (
    select
        contacts.contact_id,
        cast(totals.loyalty_points_balance as {{ dbt.type_bigint() }}) as loyalty_points_balance,
        {%- for days in windows %}
            {%- for kind in ['earned', 'redeemed'] %}
                cast(coalesce(totals.loyalty_points_{{ kind }}_{{ days }}d, 0) as {{ dbt.type_bigint() }})
                    as loyalty_points_{{ kind }}_{{ days }}d,
            {%- endfor %}
        {%- endfor %}
        totals.last_loyalty_activity_at
    from contacts
    left join totals on contacts.contact_id = totals.contact_id
)

select * from final
