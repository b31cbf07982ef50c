-- The contact ids whose events do not simply belong to a person of the same id
-- as of as_of: ids merged into another person, and ids that do not exist yet
-- (canonical_contact_id null: their events are left out). Every other known id
-- is its own person. Small, so that re-keying millions of events is a join
-- against a few thousand rows instead of every contact.
with

known as (
    select distinct contact_id from {{ ref('int_contacts_admitted') }}
    where contact_id is not null
),

id_map as (
    select * from {{ ref('int_contact_ids_mapped') }}
),

final as (
    select
        known.contact_id,
        id_map.canonical_contact_id
    from known
    left join id_map on known.contact_id = id_map.contact_id
    where id_map.contact_id is null or not id_map.is_canonical
)

select * from final
