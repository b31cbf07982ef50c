-- Every normalised email of an erased person: the requested ones and those on
-- any record of an erased id. Used to drop suppression rows about that person.
with

requests as (
    select {{ normalize_email('email') }} as email
    from {{ raw_source('erasure_requests') }}
),

contact_records as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ normalize_email('email') }} as email
    from {{ raw_source('contacts') }}
),

erased_ids as (
    select contact_id from {{ ref('stg_marketing__erased_contacts') }}
),

emails as (
    select email from requests
    where email is not null
    union
    select contact_records.email
    from contact_records
    inner join erased_ids on contact_records.contact_id = erased_ids.contact_id
    where contact_records.email is not null
),

final as (
    select distinct email from emails
)

select * from final
