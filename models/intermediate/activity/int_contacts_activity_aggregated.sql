-- Every per-contact aggregate that one pass over the events can give, so the
-- event table is scanned once for all of them: bounces, complaints, consent
-- events, site activity, device counts and the lead score.
-- Machine opens are not opens for any metric (SPEC "Events").
{%- set half_life = var('lead_score_half_life_days') | float %}
{%- set device_window = window_start_sql(var('preferred_device_days')) %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

events as (
    select * from {{ ref('int_events_resolved') }}
),

classified as (
    select
        contact_id,
        event_type,
        occurred_at,
        bounce_type,
        event_type = 'email_opened' and is_machine_open as is_machine_open_event,
        case
            when device_type is null then null
            when device_type in ('desktop', 'mobile', 'tablet') then device_type
            else 'other'
        end as device_category,
        {{ days_since('occurred_at') }} as days_since_event
    from events
),

aggregated as (
    select
        contact_id,
        {{ any_where("event_type = 'email_bounced' and bounce_type = 'hard'") }} as has_hard_bounce,
        {{ any_where("event_type = 'email_spam_complaint'") }} as has_spam_complaint,
        {{ any_where('is_machine_open_event') }} as has_machine_opens,
        {{ max_where('occurred_at', "event_type = 'subscribe'") }} as last_subscribe_event_at,
        {{ max_where('occurred_at', "event_type = 'email_unsubscribed'") }} as last_unsubscribe_event_at,
        {{ max_where('occurred_at', "event_type = 'add_to_cart'") }} as last_add_to_cart_at,
        {{ max_where('occurred_at', "event_type = 'product_view'") }} as last_product_view_at,
        {{ max_where('occurred_at', "event_type = 'purchase'") }} as last_purchase_event_at,
        {{ max_where('occurred_at', "event_type in ('add_to_cart', 'purchase')") }}
            as last_cart_or_purchase_at,
        {{ max_where('occurred_at', "event_type in ('referral_sent', 'review_submitted')") }}
            as last_advocacy_at,
        {{ max_where('occurred_at', "event_type in ('product_view', 'add_to_cart', 'checkout_started')") }}
            as last_consideration_at,
        {% for device in ['desktop', 'mobile', 'other', 'tablet'] %}
            {{ count_where("device_category = '" ~ device ~ "' and not is_machine_open_event and occurred_at >= "
                ~ device_window) }}
                as {{ device }}_events_recent,
        {% endfor %}
        sum(
            case
                when is_machine_open_event then 0
                else {{ lead_score_points('event_type') }}
                    {%- if half_life > 0 %}
                        * power(0.5, cast(days_since_event as {{ type_double() }}) / {{ half_life }})
                    {%- endif %}
            end
        ) as lead_score_raw
    from classified
    group by contact_id
),

final as (
    select
        contacts.contact_id,
        coalesce(aggregated.has_hard_bounce, false) as has_hard_bounce,
        coalesce(aggregated.has_spam_complaint, false) as has_spam_complaint,
        coalesce(aggregated.has_machine_opens, false) as has_machine_opens,
        aggregated.last_subscribe_event_at,
        aggregated.last_unsubscribe_event_at,
        aggregated.last_add_to_cart_at,
        aggregated.last_product_view_at,
        aggregated.last_purchase_event_at,
        aggregated.last_cart_or_purchase_at,
        aggregated.last_advocacy_at,
        aggregated.last_consideration_at,
        {% for device in ['desktop', 'mobile', 'other', 'tablet'] %}
            coalesce(aggregated.{{ device }}_events_recent, 0) as {{ device }}_events_recent,
        {% endfor %}
        -- SPEC: rounded half away from zero to 2 decimals (decimal rounding does that).
        cast(round(cast(coalesce(aggregated.lead_score_raw, 0) as decimal(38, 10)), 2) as decimal(18, 2))
            as lead_score
    from contacts
    left join aggregated on contacts.contact_id = aggregated.contact_id
)

select * from final
