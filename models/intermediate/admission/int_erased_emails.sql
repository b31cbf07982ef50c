-- Every normalised email of an erased person: the requested ones and those on
-- any record of an erased id. Suppression rows about such an email are erased.
with

requests as (
    select email from {{ ref('stg_marketing__erasure_requests') }}
    where email is not null
),

erased_records as (
    select contacts.email
    from {{ ref('stg_marketing__contacts') }} as contacts
    inner join {{ ref('int_erased_contacts') }} as erased on contacts.contact_id = erased.contact_id
    where contacts.email is not null
),

final as (
    select email from requests
    union
    select email from erased_records
)

select * from final
