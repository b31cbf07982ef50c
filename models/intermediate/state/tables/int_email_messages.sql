-- Per-contact state (docs/incremental.md): one row per person and email message
-- (docs/engagement.md): a message is coalesce(message_id, campaign_id), or the
-- event itself when both are empty. The last time of each kind of event decides
-- which windows count the message; times only grow, so a run merges the events
-- a person gained into the rows of their messages.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id', 'message_key'],
) }}

{%- set gained %}
    select
        contact_id,
        coalesce(message_id, campaign_id, event_id) as message_key,
        {{ max_where('occurred_at', "event_type = 'email_sent'") }} as last_sent_at,
        {{ max_where('occurred_at', "event_type = 'email_delivered'") }} as last_delivered_at,
        {{ max_where('occurred_at', "event_type = 'email_opened' and not is_machine_open") }} as last_opened_at,
        {{ max_where('occurred_at', "event_type = 'email_clicked'") }} as last_clicked_at,
        {{ any_where("event_type = 'email_bounced'") }} as has_bounced
    from events
    group by contact_id, coalesce(message_id, campaign_id, event_id)
{%- endset %}

{{ state_table(
    events_where="event_type in ('email_sent', 'email_delivered', 'email_opened', 'email_clicked', 'email_bounced')",
    gained=gained,
    folds={
        'last_sent_at': 'max',
        'last_delivered_at': 'max',
        'last_opened_at': 'max',
        'last_clicked_at': 'max',
        'has_bounced': 'any',
    },
    columns=[dbt.hash("contact_id || '|' || message_key") ~ " as email_message_id", "*"],
) }}
