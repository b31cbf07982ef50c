-- docs/consent.md: per person, the latest subscribe and unsubscribe signals up
-- to as_of. Signals are subscribe and email_unsubscribed events, and
-- consent_status subscribed / unsubscribed on every contact record of the person
-- (superseded and merged records included) at its updated_at; records updated
-- after as_of are not yet known. A record without updated_at signals at an
-- unknown, earliest time, shown as null.
{%- set earliest = "cast('1900-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" %}

with

records as (
    select
        ids.canonical_contact_id as contact_id,
        admitted.consent_status,
        coalesce(admitted.updated_at, {{ earliest }}) as signalled_at
    from {{ ref('int_contacts_admitted') }} as admitted
    inner join {{ ref('int_contact_ids_mapped') }} as ids on admitted.contact_id = ids.contact_id
    where
        admitted.rejection_reason is null
        and admitted.is_updated_by_as_of
        and admitted.consent_status in ('subscribed', 'unsubscribed')
),

record_signals as (
    select
        contact_id,
        {{ max_where('signalled_at', "consent_status = 'subscribed'") }} as last_subscribed_record_at,
        {{ max_where('signalled_at', "consent_status = 'unsubscribed'") }} as last_unsubscribed_record_at
    from records
    group by contact_id
),

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

activity as (
    select * from {{ ref('int_contact_activity') }}
),

final as (
    select
        contacts.contact_id,
        {{ greatest_not_null('activity.last_subscribe_event_at', 'record_signals.last_subscribed_record_at') }}
            as last_subscribe_signal_at,
        {{ greatest_not_null('activity.last_unsubscribe_event_at', 'record_signals.last_unsubscribed_record_at') }}
            as last_unsubscribe_signal_at
    from contacts
    left join activity on contacts.contact_id = activity.contact_id
    left join record_signals on contacts.contact_id = record_signals.contact_id
)

select * from final
