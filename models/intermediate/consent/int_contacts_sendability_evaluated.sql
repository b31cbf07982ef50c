-- SPEC "Sendability (consent)": is_email_sendable and each condition behind it.
--   Consent: the latest signal must be a subscribe. Signals are subscribe and
--   email_unsubscribed events, and consent_status subscribed / unsubscribed on
--   every contact record of the person (superseded and merged records
--   included) at its updated_at; records updated after as_of are not yet
--   known. A record without updated_at signals at an unknown, earliest time.
--   A tie counts as unsubscribed; no signal means no consent.
--   Soft bounces: the last max_soft_bounces delivery outcomes must not all be
--   soft bounces. Outcomes are deliveries (or, where sends stand in for them,
--   sends whose message did not bounce) and bounces; a bounce with no or an
--   unknown bounce_type counts as soft; on equal timestamps a bounce is taken
--   as the later outcome.
{%- set earliest = "cast('1900-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" %}

with

contacts as (
    select
        contact_id,
        email,
        is_email_valid
    from {{ ref('int_contacts_resolved') }}
),

id_map as (
    select * from {{ ref('int_contact_ids_mapped') }}
),

records as (
    select * from {{ ref('base_marketing__contacts') }}
    where
        not is_erased
        and rejection_reason is null
        and is_updated_by_as_of
        and consent_status in ('subscribed', 'unsubscribed')
),

activity as (
    select * from {{ ref('int_contacts_activity_aggregated') }}
),

messages as (
    select * from {{ ref('int_email_messages_aggregated') }}
),

delivery_mode as (
    select sends_stand_in_for_deliveries from {{ ref('int_email_delivery_modes_determined') }}
),

bounces as (
    select
        contact_id,
        occurred_at,
        coalesce(bounce_type, 'soft') != 'hard' as is_soft
    from {{ ref('int_events_resolved') }}
    where event_type = 'email_bounced'
),

suppressions as (
    select email from {{ ref('stg_marketing__suppressions') }}
    where suppressed_at is null or suppressed_at < {{ as_of_end_sql() }}
),

record_signals as (
    select
        id_map.canonical_contact_id as contact_id,
        max(
            case
                when records.consent_status = 'subscribed' then coalesce(records.updated_at, {{ earliest }})
            end
        )
            as last_subscribed_record_at,
        max(
            case
                when records.consent_status = 'unsubscribed' then coalesce(records.updated_at, {{ earliest }})
            end
        )
            as last_unsubscribed_record_at
    from records
    inner join id_map on records.contact_id = id_map.contact_id
    group by id_map.canonical_contact_id
),

good_outcomes as (
    select
        messages.contact_id,
        max(
            case
                when delivery_mode.sends_stand_in_for_deliveries and not messages.has_bounced
                    then messages.last_sent_at
                when not delivery_mode.sends_stand_in_for_deliveries then messages.last_delivered_at
            end
        ) as last_delivered_outcome_at
    from messages
    cross join delivery_mode
    group by messages.contact_id
),

hard_bounces as (
    select
        contact_id,
        max(occurred_at) as last_hard_bounce_at
    from bounces
    where not is_soft
    group by contact_id
),

last_breaks as (
    -- The latest outcome that is not a soft bounce: a delivery or a hard bounce.
    select
        contacts.contact_id,
        {{ greatest_not_null('good_outcomes.last_delivered_outcome_at', 'hard_bounces.last_hard_bounce_at') }}
            as last_non_soft_outcome_at
    from contacts
    left join good_outcomes on contacts.contact_id = good_outcomes.contact_id
    left join hard_bounces on contacts.contact_id = hard_bounces.contact_id
),

soft_runs as (
    select
        bounces.contact_id,
        count(*) as trailing_soft_bounces
    from bounces
    inner join last_breaks on bounces.contact_id = last_breaks.contact_id
    where
        bounces.is_soft
        and (
            last_breaks.last_non_soft_outcome_at is null
            or bounces.occurred_at >= last_breaks.last_non_soft_outcome_at
        )
    group by bounces.contact_id
),

signals as (
    select
        contacts.contact_id,
        contacts.email,
        contacts.is_email_valid,
        {{ greatest_not_null('activity.last_subscribe_event_at', 'record_signals.last_subscribed_record_at') }}
            as last_subscribe_signal_at,
        {{ greatest_not_null('activity.last_unsubscribe_event_at', 'record_signals.last_unsubscribed_record_at') }}
            as last_unsubscribe_signal_at,
        activity.has_hard_bounce,
        activity.has_spam_complaint,
        coalesce(soft_runs.trailing_soft_bounces, 0) as trailing_soft_bounces,
        suppressions.email is not null as is_suppressed
    from contacts
    inner join activity on contacts.contact_id = activity.contact_id
    left join record_signals on contacts.contact_id = record_signals.contact_id
    left join soft_runs on contacts.contact_id = soft_runs.contact_id
    left join suppressions on contacts.email = suppressions.email
),

evaluated as (
    select
        *,
        last_subscribe_signal_at is not null
        and (last_unsubscribe_signal_at is null or last_subscribe_signal_at > last_unsubscribe_signal_at)
            as has_email_consent,
        trailing_soft_bounces >= {{ var('max_soft_bounces') }} as has_soft_bounce_run
    from signals
),

final as (
    select
        contact_id,
        is_email_valid,
        case
            when last_subscribe_signal_at = {{ earliest }} then null else last_subscribe_signal_at
        end as last_subscribe_signal_at,
        case
            when last_unsubscribe_signal_at = {{ earliest }} then null else last_unsubscribe_signal_at
        end as last_unsubscribe_signal_at,
        has_email_consent,
        has_hard_bounce,
        trailing_soft_bounces,
        has_soft_bounce_run,
        has_spam_complaint,
        is_suppressed,
        is_email_valid
        and has_email_consent
        and not has_hard_bounce
        and not has_soft_bounce_run
        and not has_spam_complaint
        and not is_suppressed as is_email_sendable
    from evaluated
)

select * from final
