-- One row per person as of as_of: the canonical id's winning record, with how
-- many contact ids were merged into it.
with

contacts as (
    select * from {{ ref('int_contacts_admitted') }}
    where rejection_reason is null and not is_collapsed
),

id_map as (
    select * from {{ ref('int_contact_ids_mapped') }}
),

merged_counts as (
    select
        canonical_contact_id,
        count(*) as merged_contact_ids
    from id_map
    group by canonical_contact_id
),

final as (
    select
        contacts.contact_id,
        contacts.email,
        contacts.is_email_valid,
        contacts.first_name,
        contacts.last_name,
        contacts.phone,
        contacts.birth_date,
        contacts.gender,
        contacts.country,
        contacts.region,
        contacts.city,
        contacts.postal_code,
        contacts.timezone,
        contacts.language,
        contacts.source,
        contacts.consent_status,
        contacts.created_at,
        contacts.updated_at,
        merged_counts.merged_contact_ids
    from contacts
    inner join merged_counts on contacts.contact_id = merged_counts.canonical_contact_id
)

select * from final
