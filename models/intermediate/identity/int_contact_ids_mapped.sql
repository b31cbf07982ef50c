-- Maps every contact id that exists as of as_of to its person's canonical id
-- (SPEC "Contacts and identity"): ids whose winning records share a valid
-- normalised email are one person, represented by the id created first (null
-- created_at last; ties: the smallest id). Invalid or empty emails never merge.
with

contacts as (
    select * from {{ ref('stg_marketing__contacts') }}
),

existing as (
    -- Contacts created after as_of are not yet in the models.
    select *
    from contacts
    where created_at is null or created_at < {{ as_of_end_sql() }}
),

ranked as (
    select
        contact_id,
        email,
        is_email_valid,
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
