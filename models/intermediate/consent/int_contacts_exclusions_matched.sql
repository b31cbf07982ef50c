-- docs/consent.md "Exclusions": one row per person excluded as of as_of, with
-- the reasons that hold. An exclusion is in force from excluded_at (before the
-- end of the as_of day) through its until day (null: for good). It matches a
-- person by their email, by the @domain their email ends with, or by any of
-- their contact ids (a merged record's id too).
with

exclusions as (
    select * from {{ ref('int_exclusions_admitted') }}
    where
        rejection_reason is null
        and not is_collapsed
        and excluded_at < {{ as_of_end_sql() }}
        and (until is null or until >= {{ as_of_date_sql() }})
),

contacts as (
    select
        contact_id,
        email
    from {{ ref('int_contacts_resolved') }}
),

contact_ids as (
    select
        contact_id,
        canonical_contact_id
    from {{ ref('int_contact_ids_mapped') }}
),

by_email as (
    select
        contacts.contact_id,
        exclusions.reason
    from contacts
    inner join exclusions
        on
            exclusions.pattern_kind = 'email'
            and contacts.email = exclusions.match_value
),

by_domain as (
    select
        contacts.contact_id,
        exclusions.reason
    from contacts
    inner join exclusions
        on
            exclusions.pattern_kind = 'domain'
            and right(contacts.email, length(exclusions.match_value)) = exclusions.match_value
),

by_id as (
    select
        contact_ids.canonical_contact_id as contact_id,
        exclusions.reason
    from contact_ids
    inner join exclusions
        on
            exclusions.pattern_kind = 'contact_id'
            and contact_ids.contact_id = exclusions.match_value
),

matched as (
    -- union, not union all: a reason is listed once however many patterns give it.
    select * from by_email
    union
    select * from by_domain
    union
    select * from by_id
),

final as (
    select
        contact_id,
        {{ sorted_text_agg("coalesce(reason, 'unspecified')") }} as exclusion_reasons
    from matched
    group by contact_id
)

select * from final
