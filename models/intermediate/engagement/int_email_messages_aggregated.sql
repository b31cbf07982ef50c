-- One row per person and email message (SPEC "Email engagement"): a message is
-- coalesce(message_id, campaign_id), or the event itself when both are empty.
-- The last time of each kind of event decides which windows count the message.
with

events as (
    select * from {{ ref('int_events_resolved') }}
    where event_type in ('email_sent', 'email_delivered', 'email_opened', 'email_clicked', 'email_bounced')
),

keyed as (
    select
        contact_id,
        coalesce(message_id, campaign_id, event_id) as message_key,
        event_type,
        occurred_at,
        is_machine_open
    from events
),

final as (
    select
        {{ dbt.hash("contact_id || '|' || message_key") }} as email_message_id,
        contact_id,
        message_key,
        {{ max_where('occurred_at', "event_type = 'email_sent'") }} as last_sent_at,
        {{ max_where('occurred_at', "event_type = 'email_delivered'") }} as last_delivered_at,
        {{ max_where('occurred_at', "event_type = 'email_opened' and not is_machine_open") }}
            as last_opened_at,
        {{ max_where('occurred_at', "event_type = 'email_clicked'") }} as last_clicked_at,
        {{ any_where("event_type = 'email_bounced'") }} as has_bounced
    from keyed
    group by contact_id, message_key
)

select * from final
