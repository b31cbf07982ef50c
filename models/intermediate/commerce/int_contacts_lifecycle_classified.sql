-- docs/lifecycle.md: customer_status and funnel_stage, first match wins. "Ever"
-- means up to as_of whatever rfm_lookback_days is; only counted orders count.
with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

orders as (
    select * from {{ ref('int_orders_netted') }}
    where is_counted
),

activity as (
    select
        contact_id,
        last_advocacy_at,
        last_consideration_at
    from {{ ref('int_contact_activity') }}
),

per_contact as (
    select
        contact_id,
        count(*) as lifetime_orders,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        {{ count_where('ordered_at >= ' ~ window_start_sql(var('loyal_window_days'))) }}
            as loyal_window_orders
    from orders
    group by contact_id
),

joined as (
    select
        contacts.contact_id,
        coalesce(per_contact.lifetime_orders, 0) as lifetime_orders,
        coalesce(per_contact.loyal_window_orders, 0) as loyal_window_orders,
        per_contact.first_order_at,
        per_contact.last_order_at,
        activity.last_advocacy_at,
        activity.last_consideration_at
    from contacts
    left join per_contact on contacts.contact_id = per_contact.contact_id
    left join activity on contacts.contact_id = activity.contact_id
),

final as (
    select
        contact_id,
        lifetime_orders,
        case
            when lifetime_orders = 0 then 'prospect'
            when first_order_at >= {{ window_start_sql(var('new_customer_days')) }} then 'new'
            when last_order_at < {{ window_start_sql(var('churned_days')) }} then 'churned'
            when last_order_at < {{ window_start_sql(var('inactive_days')) }} then 'inactive'
            when loyal_window_orders >= {{ var('loyal_min_orders') }} then 'loyal'
            else 'active'
        end as customer_status,
        case
            when lifetime_orders >= 1 and last_advocacy_at >= {{ window_start_sql(var('advocacy_days')) }}
                then 'advocacy'
            when lifetime_orders >= 2 then 'loyalty'
            when lifetime_orders = 1 then 'conversion'
            when
                last_consideration_at >= {{ window_start_sql(var('consideration_days')) }}
                then 'consideration'
            else 'awareness'
        end as funnel_stage
    from joined
)

select * from final
