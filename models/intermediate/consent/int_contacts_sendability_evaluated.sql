-- docs/consent.md: is_email_sendable and each condition behind it. Sendable only
-- when the email is valid, the latest consent signal is a subscribe (a tie
-- counts as unsubscribed; no signal means no consent), there was never a hard
-- bounce or a spam complaint, the last max_soft_bounces delivery outcomes are
-- not all soft bounces, the email is not suppressed by the end of as_of, and
-- no exclusion is in force (int_contacts_exclusions_matched).
-- At millions of persons it is built in passes over the persons (person_pass_where).
{%- set earliest = "cast('1900-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" %}
{%- set pass_where = person_pass_where() %}

with

contacts as (
    select
        contact_id,
        email,
        is_email_valid
    from {{ ref('int_contacts_resolved') }}
    where {{ pass_where }}
),

consent as (
    select * from {{ ref('int_contacts_consent_signals') }}
    where {{ pass_where }}
),

activity as (
    select * from {{ ref('int_contact_activity') }}
    where {{ pass_where }}
),

bounce_runs as (
    select * from {{ ref('int_contacts_bounce_runs') }}
    where {{ pass_where }}
),

exclusions as (
    select * from {{ ref('int_contacts_exclusions_matched') }}
    where {{ pass_where }}
),

suppressions as (
    select email from {{ ref('int_suppressions_admitted') }}
    where
        rejection_reason is null
        and not is_collapsed
        and (suppressed_at is null or suppressed_at < {{ as_of_end_sql() }})
),

signals as (
    select
        contacts.contact_id,
        contacts.is_email_valid,
        consent.last_subscribe_signal_at as subscribe_signal_at,
        consent.last_unsubscribe_signal_at as unsubscribe_signal_at,
        coalesce(activity.has_hard_bounce, false) as has_hard_bounce,
        coalesce(activity.has_spam_complaint, false) as has_spam_complaint,
        coalesce(bounce_runs.trailing_soft_bounces, 0) as trailing_soft_bounces,
        suppressions.email is not null as is_suppressed,
        exclusions.contact_id is not null as is_excluded,
        exclusions.exclusion_reasons
    from contacts
    inner join consent on contacts.contact_id = consent.contact_id
    left join activity on contacts.contact_id = activity.contact_id
    left join bounce_runs on contacts.contact_id = bounce_runs.contact_id
    left join suppressions on contacts.email = suppressions.email
    left join exclusions on contacts.contact_id = exclusions.contact_id
),

evaluated as (
    select
        contact_id,
        is_email_valid,
        nullif(subscribe_signal_at, {{ earliest }}) as last_subscribe_signal_at,
        nullif(unsubscribe_signal_at, {{ earliest }}) as last_unsubscribe_signal_at,
        subscribe_signal_at is not null
        and (unsubscribe_signal_at is null or subscribe_signal_at > unsubscribe_signal_at) as has_email_consent,
        has_hard_bounce,
        trailing_soft_bounces,
        trailing_soft_bounces >= {{ var('max_soft_bounces') }} as has_soft_bounce_run,
        has_spam_complaint,
        is_suppressed,
        is_excluded,
        exclusion_reasons
    from signals
),

final as (
    select
        *,
        is_email_valid
        and has_email_consent
        and not has_hard_bounce
        and not has_soft_bounce_run
        and not has_spam_complaint
        and not is_suppressed
        and not is_excluded as is_email_sendable
    from evaluated
)

select * from final
