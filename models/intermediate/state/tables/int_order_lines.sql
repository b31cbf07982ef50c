-- Per-contact state (docs/incremental.md): purchase and refund lines summed per
-- person, order and category (docs/money.md), revenue in the reporting currency
-- at full precision. Sums and first times only grow, so a run merges the lines
-- a person gained into their rows. Refunds match orders of the same person only;
-- int_orders_netted nets them per order.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id', 'order_id', 'category'],
) }}

{%- set gained %}
    select
        contact_id,
        order_id,
        category,
        min(case when event_type = 'purchase' then occurred_at end) as first_purchase_at,
        {{ count_where("event_type = 'purchase'") }} as purchase_lines,
        sum(case when event_type = 'purchase' then coalesce(quantity, 1) else 0 end) as purchased_quantity,
        sum(case when event_type = 'purchase' then coalesce(revenue_reporting, 0) else 0 end) as gross_revenue,
        sum(case when event_type = 'refund' then coalesce(revenue_reporting, 0) else 0 end) as refunded_revenue,
        {{ count_where("event_type = 'refund'") }} as refund_events
    from events
    group by contact_id, order_id, category
{%- endset %}

{%- set bigint = dbt.type_bigint() %}
{{ state_table(
    events_where="event_type = 'purchase' or (event_type = 'refund' and order_id is not null)",
    gained=gained,
    folds={
        'first_purchase_at': 'min',
        'purchase_lines': 'sum',
        'purchased_quantity': 'sum',
        'gross_revenue': 'sum',
        'refunded_revenue': 'sum',
        'refund_events': 'sum',
    },
    columns=[
        dbt.hash("contact_id || '|' || order_id || '|' || coalesce(category, '')") ~ " as order_line_id",
        "contact_id",
        "order_id",
        "category",
        "first_purchase_at",
        "cast(purchase_lines as " ~ bigint ~ ") as purchase_lines",
        "cast(purchased_quantity as " ~ bigint ~ ") as purchased_quantity",
        "gross_revenue",
        "refunded_revenue",
        "cast(refund_events as " ~ bigint ~ ") as refund_events",
    ],
) }}
