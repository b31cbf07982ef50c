-- The benchmark's yardstick (docs/decisions.md "Benchmark"): the least a full build
-- must do, as one plain DuckDB script with no dbt, no admission rules (no
-- rejections, no de-duplication, no identity) and no incremental state. It
-- stages the raw events into a narrow typed table and computes per-contact
-- features from it. scripts/yardstick.py runs it; scripts/benchmark.py prints the
-- project's figures as ratios to it. Its placeholders, filled in by
-- scripts/yardstick.py: events (a read_* call over every raw event file),
-- mappings (the event type mapping CSV), as_of, and windows (the engagement
-- window counts).

-- 1. Stage: a narrow typed table of the events with a known type.
create or replace table yardstick_events as
select
    nullif(trim(raw.event_id), '') as event_id,
    nullif(trim(raw.contact_id), '') as contact_id,
    mappings.event_type,
    cast(timezone('UTC', try_cast(nullif(trim(raw.occurred_at), '') as timestamptz)) as timestamp) as occurred_at,
    coalesce(nullif(trim(raw.message_id), ''), nullif(trim(raw.campaign_id), ''), nullif(trim(raw.event_id), ''))
        as message_key,
    nullif(trim(raw.order_id), '') as order_id,
    try_cast(nullif(trim(raw.revenue), '') as decimal(18, 2)) as revenue,
    coalesce(upper(nullif(trim(raw.currency), '')), 'EUR') as currency,
    lower(nullif(trim(raw.device_type), '')) as device_type,
    coalesce(lower(trim(raw.is_machine_open)) in ('true', '1', 'yes'), false) as is_machine_open,
    lower(nullif(trim(raw.category), '')) as category
from {events} as raw
inner join read_csv('{mappings}') as mappings
    on lower(trim(raw.event_type)) = mappings.source_event_type;

-- 2. Features per contact, as of the end of {as_of}.
create or replace table yardstick_messages as
select
    contact_id,
    message_key,
    max(occurred_at) filter (where event_type = 'email_delivered') as delivered_at,
    max(occurred_at) filter (where event_type = 'email_opened' and not is_machine_open) as opened_at,
    max(occurred_at) filter (where event_type = 'email_clicked') as clicked_at
from yardstick_events
where event_type in ('email_delivered', 'email_opened', 'email_clicked') and occurred_at < date '{as_of}' + 1
group by all;

create or replace table yardstick_orders as
select
    contact_id,
    order_id,
    min(occurred_at) filter (where event_type = 'purchase') as ordered_at,
    sum(revenue) filter (where event_type = 'purchase') - coalesce(sum(revenue) filter (where event_type = 'refund'), 0)
        as net_revenue
from yardstick_events
where event_type in ('purchase', 'refund') and order_id is not null and occurred_at < date '{as_of}' + 1
group by all
having count(*) filter (where event_type = 'purchase') > 0;

create or replace table yardstick_features as
with
engagement as (
    select
        contact_id,
        {windows}
        max(opened_at) as last_opened_at,
        max(clicked_at) as last_clicked_at
    from yardstick_messages
    group by contact_id
),
rfm as (
    select
        contact_id,
        date '{as_of}' - cast(max(ordered_at) as date) as recency_days,
        count(*) as frequency,
        sum(net_revenue) as monetary
    from yardstick_orders
    where net_revenue > 0
    group by contact_id
),
scored as (
    select
        *,
        ntile(5) over (order by recency_days desc) as r_score,
        ntile(5) over (order by frequency) as f_score,
        ntile(5) over (order by monetary) as m_score
    from rfm
),
activity as (
    select
        contact_id,
        sum(
            case event_type
                when 'email_opened' then 1 when 'email_clicked' then 3 when 'page_view' then 1
                when 'product_view' then 2 when 'add_to_cart' then 5 when 'checkout_started' then 8
                when 'purchase' then 20 else 0
            end * power(0.5, (date '{as_of}' - cast(occurred_at as date)) / 30)
        ) as lead_score,
        mode(device_type) filter (where occurred_at >= date '{as_of}' - 89) as preferred_device
    from yardstick_events
    where occurred_at < date '{as_of}' + 1 and not is_machine_open
    group by contact_id
)
select *
from activity
left join engagement using (contact_id)
left join scored using (contact_id);
