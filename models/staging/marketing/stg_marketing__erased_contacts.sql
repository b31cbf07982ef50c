-- Erasure comes before everything else, so this reads the raw tables directly.
-- Erasing an email also erases every id whose record carries it; erasing an id
-- also erases every id sharing one of its valid emails (the merged person).
with

requests as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ normalize_email('email') }} as email
    from {{ raw_source('erasure_requests') }}
),

contact_records as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ normalize_email('email') }} as email
    from {{ raw_source('contacts') }}
),

erased_emails as (
    select email from requests
    where email is not null
    union
    select contact_records.email
    from contact_records
    inner join requests on contact_records.contact_id = requests.contact_id
    where {{ is_valid_email('contact_records.email') }}
),

erased_ids as (
    select contact_id from requests
    where contact_id is not null
    union
    select contact_records.contact_id
    from contact_records
    inner join erased_emails on contact_records.email = erased_emails.email
    where contact_records.contact_id is not null
),

final as (
    select distinct contact_id from erased_ids
)

select * from final
