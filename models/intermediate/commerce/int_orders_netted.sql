-- One row per person's order (docs/money.md): an order is a distinct order_id
-- among the person's purchase events, timed by its first line. Net revenue is
-- its purchase lines (empty revenue = 0) minus its refunds up to as_of, in the
-- reporting currency, rounded to cents once. Refunds match orders of the same
-- person only; a refund of an unknown order matches nothing. An order with
-- refunds and net revenue <= 0 is not counted as an order anywhere.
with

orders as (
    select
        contact_id,
        order_id,
        min(first_purchase_at) as ordered_at,
        sum(purchase_lines) as purchase_lines,
        sum(gross_revenue) as gross_revenue,
        sum(refunded_revenue) as refunded_revenue,
        sum(refund_events) as refund_events
    from {{ ref('int_order_lines') }}
    group by contact_id, order_id
),

netted as (
    select
        contact_id,
        order_id,
        ordered_at,
        cast(purchase_lines as {{ dbt.type_bigint() }}) as purchase_lines,
        cast(round(gross_revenue, 2) as decimal(18, 2)) as gross_revenue,
        cast(round(refunded_revenue, 2) as decimal(18, 2)) as refunded_revenue,
        cast(round(gross_revenue - refunded_revenue, 2) as decimal(18, 2)) as net_revenue,
        refund_events > 0 as has_refund
    from orders
    where purchase_lines > 0
),

final as (
    select
        {{ dbt.hash("contact_id || '|' || order_id") }} as contact_order_id,
        contact_id,
        order_id,
        ordered_at,
        purchase_lines,
        gross_revenue,
        refunded_revenue,
        net_revenue,
        has_refund,
        not has_refund or net_revenue > 0 as is_counted
    from netted
)

select * from final
