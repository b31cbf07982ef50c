-- Kept events: valid, de-duplicated on event_id, with revenue converted to the
-- reporting currency at full precision (rounding happens once per order).
with

events as (
    select * from {{ ref('base_marketing__events') }}
    where not is_erased and rejection_reason is null and not is_collapsed
),

final as (
    select
        event_id,
        contact_id,
        event_type,
        source_event_type,
        occurred_at,
        campaign_id,
        message_id,
        order_id,
        product_id,
        category,
        quantity,
        revenue,
        revenue_currency as currency,
        revenue * rate_to_reporting as revenue_reporting,
        device_type,
        url,
        utm_source,
        utm_medium,
        utm_campaign,
        bounce_type,
        coalesce(is_machine_open, false) as is_machine_open,
        points
    from events
)

select * from final
