-- docs/purchases.md. Over counted orders in the lookback
-- (rfm_lookback_days; null = all history up to as_of): recency, frequency,
-- monetary and average order value. R, F and M scores 1-5 are computed over the
-- n contacts with at least one order, from rank() worst to best, in exact
-- integer arithmetic, so ties always share a score. A contact without orders
-- has frequency 0, monetary 0 and null scores. monetary_percentile is the share
-- of buyers spending as much or less (cume_dist), so > 0.9 is the top 10 %.
-- rfm_segment places the R and F scores on the R x F grid; no order: prospect.

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

orders as (
    select * from {{ ref('int_orders_netted') }}
    where {{ is_counted_in_lookback() }}
),

per_contact as (
    select
        contact_id,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        count(*) as frequency,
        sum(net_revenue) as monetary
    from orders
    group by contact_id
),

ranked as (
    select
        *,
        {{ days_since('last_order_at') }} as recency_days,
        count(*) over () as scored_contacts
    from per_contact
),

scored as (
    select
        *,
        {{ ntile_score('rank() over (order by recency_days desc)', 'scored_contacts') }} as r_score,
        {{ ntile_score('rank() over (order by frequency asc)', 'scored_contacts') }} as f_score,
        {{ ntile_score('rank() over (order by monetary asc)', 'scored_contacts') }} as m_score,
        cume_dist() over (order by monetary asc) as monetary_percentile
    from ranked
),

final as (
    select
        contacts.contact_id,
        scored.recency_days,
        coalesce(scored.frequency, 0) as frequency,
        cast(coalesce(scored.monetary, 0) as decimal(18, 2)) as monetary,
        {{ mean_in_cents('scored.monetary', 'scored.frequency') }} as avg_order_value,
        scored.first_order_at,
        scored.last_order_at,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        scored.monetary_percentile,
        cast(scored.r_score as {{ dbt.type_string() }})
        || cast(scored.f_score as {{ dbt.type_string() }})
        || cast(scored.m_score as {{ dbt.type_string() }}) as rfm_score,
        {{ rfm_segment('scored.r_score', 'scored.f_score') }} as rfm_segment
    from contacts
    left join scored on contacts.contact_id = scored.contact_id
)

select * from final
