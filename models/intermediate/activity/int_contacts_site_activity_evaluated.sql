-- SPEC "Site activity and purchase history".
--   has_abandoned_cart: an add_to_cart in the last cart_abandonment_days with no
--   purchase event (any product, counted order or not) at or after it; the
--   latest cart decides, since a purchase after it follows every earlier cart.
--   has_abandoned_browse: likewise a product_view in the last
--   browse_abandonment_days with no add_to_cart or purchase at or after it.
--   preferred_device: the most frequent device category over events of any
--   type in the last preferred_device_days (machine opens excluded), ties
--   alphabetical, null when none.
--   favorite_category: the category with the largest quantity (empty = 1) over
--   the lines of counted orders up to as_of, ties alphabetical; lines without a
--   category are ignored.
with

activity as (
    select * from {{ ref('int_contacts_activity_aggregated') }}
),

orders as (
    select
        contact_id,
        order_id
    from {{ ref('int_orders_netted') }}
    where is_counted
),

purchase_lines as (
    select
        contact_id,
        order_id,
        category,
        coalesce(quantity, 1) as quantity
    from {{ ref('int_events_resolved') }}
    where event_type = 'purchase' and category is not null
),

category_quantities as (
    select
        purchase_lines.contact_id,
        purchase_lines.category,
        sum(purchase_lines.quantity) as purchased_quantity
    from purchase_lines
    inner join orders
        on
            purchase_lines.contact_id = orders.contact_id
            and purchase_lines.order_id = orders.order_id
    group by purchase_lines.contact_id, purchase_lines.category
),

favorite_categories as (
    select
        contact_id,
        category as favorite_category
    from (
        select
            contact_id,
            category,
            row_number() over (
                partition by contact_id order by purchased_quantity desc, category asc
            ) as category_rank
        from category_quantities
    ) as ranked_categories
    where category_rank = 1
),

final as (
    select
        activity.contact_id,
        coalesce(
            activity.last_add_to_cart_at >= {{ window_start_sql(var('cart_abandonment_days')) }}
            and (
                activity.last_purchase_event_at is null
                or activity.last_purchase_event_at < activity.last_add_to_cart_at
            ),
            false
        ) as has_abandoned_cart,
        coalesce(
            activity.last_product_view_at >= {{ window_start_sql(var('browse_abandonment_days')) }}
            and (
                activity.last_cart_or_purchase_at is null
                or activity.last_cart_or_purchase_at < activity.last_product_view_at
            ),
            false
        ) as has_abandoned_browse,
        -- Devices in alphabetical order: each wins only against strictly fewer
        -- events of the ones after it, so ties go to the earlier name.
        case
            when
                activity.desktop_events_recent + activity.mobile_events_recent
                + activity.other_events_recent + activity.tablet_events_recent = 0
                then null
            when
                activity.desktop_events_recent >= activity.mobile_events_recent
                and activity.desktop_events_recent >= activity.other_events_recent
                and activity.desktop_events_recent >= activity.tablet_events_recent
                then 'desktop'
            when
                activity.mobile_events_recent >= activity.other_events_recent
                and activity.mobile_events_recent >= activity.tablet_events_recent
                then 'mobile'
            when activity.other_events_recent >= activity.tablet_events_recent then 'other'
            else 'tablet'
        end as preferred_device,
        favorite_categories.favorite_category
    from activity
    left join favorite_categories on activity.contact_id = favorite_categories.contact_id
)

select * from final
