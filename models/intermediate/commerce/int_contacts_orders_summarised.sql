-- docs/predictions.md: one row per buyer with the inputs of the BG/NBD and
-- Gamma-Gamma models, in whole days, over the counted orders of the RFM lookback:
-- frequency = orders - 1 (the repeat orders); recency = days between the dates of
-- the first and the latest order; age = days_since of the first order. The mean
-- repeat value leaves the first order out (ordered_at, then order_id), as the
-- Gamma-Gamma model does.

with

orders as (
    select * from {{ ref('int_orders_netted') }}
    where {{ is_counted_in_lookback() }}
),

numbered as (
    select
        contact_id,
        ordered_at,
        net_revenue,
        row_number() over (partition by contact_id order by ordered_at, order_id) as order_number
    from orders
),

per_contact as (
    select
        contact_id,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        count(*) - 1 as repeat_orders,
        sum(case when order_number > 1 then net_revenue end) as repeat_value
    from numbered
    group by contact_id
),

final as (
    select
        contact_id,
        cast(repeat_orders as {{ dbt.type_bigint() }}) as clv_frequency,
        cast(
            {{ dbt.datediff(
                'cast(first_order_at as date)',
                'cast(last_order_at as date)',
                'day',
            ) }}
            as {{ dbt.type_bigint() }}
        ) as clv_recency_days,
        cast(
            {{ days_since('first_order_at') }}
            as {{ dbt.type_bigint() }}
        ) as clv_age_days,
        -- Null without a repeat order: no repeat value, and no count to divide by. A
        -- case around the cast would drop its scale on PostgreSQL (15.00 -> 15.0).
        {{ mean_in_cents('repeat_value', 'nullif(repeat_orders, 0)') }} as clv_avg_repeat_value
    from per_contact
)

select * from final
