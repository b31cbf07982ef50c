-- Maps every contact id that exists as of as_of to its person's canonical id
-- (docs/identity.md): ids whose winning records share a valid normalised email
-- are one person, represented by the id created first (null created_at last;
-- ties: the smallest id). Invalid or empty emails never merge. Contacts created
-- after as_of do not exist yet.
with

contacts as (
    select * from {{ ref('int_contacts_admitted') }}
    where rejection_reason is null and not is_collapsed
),

existing as (
    select *
    from contacts
    where created_at is null or created_at < {{ as_of_end_sql() }}
),

ranked as (
    select
        contact_id,
        case
            when is_email_valid
                then first_value(contact_id) over (
                        partition by email
                        order by created_at asc nulls last, contact_id asc
                        rows between unbounded preceding and unbounded following
                    )
            else contact_id
        end as canonical_contact_id
    from existing
),

final as (
    select
        contact_id,
        canonical_contact_id,
        contact_id = canonical_contact_id as is_canonical
    from ranked
)

select * from final
