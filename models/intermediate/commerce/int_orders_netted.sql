-- One row per person's order (SPEC "Money"): an order is a distinct order_id
-- among the person's purchase events, timed by its first line. Net revenue is
-- its purchase lines (empty revenue = 0) minus its refunds up to as_of, in the
-- reporting currency, rounded to cents once. Refunds match orders of the same
-- person only; a refund of an unknown order matches nothing. An order with
-- refunds and net revenue <= 0 is not counted as an order anywhere.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where event_type in ('purchase', 'refund')
),

purchases as (
    select
        contact_id,
        order_id,
        min(occurred_at) as ordered_at,
        sum(coalesce(revenue_reporting, 0)) as gross_revenue,
        count(*) as purchase_lines
    from events
    where event_type = 'purchase'
    group by contact_id, order_id
),

refunds as (
    select
        contact_id,
        order_id,
        sum(coalesce(revenue_reporting, 0)) as refunded_revenue,
        count(*) as refund_events
    from events
    where event_type = 'refund' and order_id is not null
    group by contact_id, order_id
),

netted as (
    select
        purchases.contact_id,
        purchases.order_id,
        purchases.ordered_at,
        purchases.purchase_lines,
        cast(round(purchases.gross_revenue, 2) as decimal(18, 2)) as gross_revenue,
        cast(round(coalesce(refunds.refunded_revenue, 0), 2) as decimal(18, 2)) as refunded_revenue,
        cast(round(purchases.gross_revenue - coalesce(refunds.refunded_revenue, 0), 2) as decimal(18, 2))
            as net_revenue,
        coalesce(refunds.refund_events, 0) > 0 as has_refund
    from purchases
    left join refunds
        on
            purchases.contact_id = refunds.contact_id
            and purchases.order_id = refunds.order_id
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
        not(has_refund and net_revenue <= 0) as is_counted
    from netted
)

select * from final
