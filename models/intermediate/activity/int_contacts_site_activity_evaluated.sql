-- docs/activity.md, per person:
--   has_abandoned_cart: an add_to_cart in the last cart_abandonment_days with no
--   purchase event (any product, counted order or not) at or after it; the
--   latest cart decides, since a purchase after it follows every earlier cart.
--   has_abandoned_browse: likewise a product_view in the last
--   browse_abandonment_days with no add_to_cart or purchase at or after it.
--   preferred_device: the most frequent device category over the events of the
--   last preferred_device_days (machine opens excluded), ties alphabetical.
--   favorite_category: the category with the largest quantity (empty = 1) over
--   the lines of counted orders up to as_of, ties alphabetical.
--   lead_score (docs/scores.md): the decayed points, rounded half away from zero.
{%- set devices = (var('device_types') + ['other']) | sort %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

activity as (
    select * from {{ ref('int_contact_activity') }}
),

devices as (
    select
        {% for device in devices %}
            sum({{ device }}_events) as {{ device }}_events,
        {% endfor %}
        contact_id
    from {{ ref('int_contact_days') }}
    where activity_date >= cast({{ window_start_sql(var('preferred_device_days')) }} as date)
    group by contact_id
),

category_quantities as (
    select
        order_lines.contact_id,
        order_lines.category,
        sum(order_lines.purchased_quantity) as purchased_quantity
    from {{ ref('int_order_lines') }} as order_lines
    inner join {{ ref('int_orders_netted') }} as orders
        on order_lines.contact_id = orders.contact_id and order_lines.order_id = orders.order_id
    where orders.is_counted and order_lines.category is not null and order_lines.purchase_lines > 0
    group by order_lines.contact_id, order_lines.category
),

favorite_categories as (
    select
        contact_id,
        category as favorite_category,
        row_number() over (partition by contact_id order by purchased_quantity desc, category asc) as category_rank
    from category_quantities
),

final as (
    select
        contacts.contact_id,
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
        -- Devices in alphabetical order: each wins against strictly fewer events of the ones after it.
        case
            {%- for device in devices %}
                when
                    {%- for later in devices[loop.index:] %}
                        devices.{{ device }}_events >= devices.{{ later }}_events and
                    {%- endfor %}
                    devices.{{ device }}_events > 0 then '{{ device }}'
            {%- endfor %}
        end as preferred_device,
        favorite_categories.favorite_category,
        coalesce(activity.has_machine_opens, false) as has_machine_opens,
        -- Rounded half away from zero to 2 decimals (decimal rounding does that).
        {%- set decayed = "activity.lead_score_basis * " ~ decay_factor('activity.lead_score_as_of') %}
        cast(round(cast(coalesce({{ decayed }}, 0) as decimal(38, 10)), 2) as decimal(18, 2)) as lead_score
    from contacts
    left join activity on contacts.contact_id = activity.contact_id
    left join devices on contacts.contact_id = devices.contact_id
    left join favorite_categories
        on contacts.contact_id = favorite_categories.contact_id and favorite_categories.category_rank = 1
)

select * from final
