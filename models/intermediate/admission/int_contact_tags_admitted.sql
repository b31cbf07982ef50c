-- Every staged tag row with its fate: erased, rejected (unknown contact, no tag),
-- collapsed (the same tag again: the earliest tagged_at stays), or kept. Tags
-- compare trimmed and lower-cased, so 'Eco_Conscious' and 'eco_conscious' are one.
with

tags as (
    select * from {{ ref('stg_marketing__contact_tags') }}
),

erased as (
    select contact_id from {{ ref('int_erased_contacts') }}
),

known_contacts as (
    select distinct contact_id from {{ ref('stg_marketing__contacts') }}
    where contact_id is not null
),

judged as (
    select
        tags.*,
        erased.contact_id is not null as is_erased,
        case
            when {{ is_unreadable_row('tags') }} then 'unreadable_row'
            when known_contacts.contact_id is null then 'unknown_contact'
            when tags.tag is null then 'missing_tag'
        end as rejection_reason
    from tags
    left join erased on tags.contact_id = erased.contact_id
    left join known_contacts on tags.contact_id = known_contacts.contact_id
),

ranked as (
    select
        *,
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by contact_id, tag, rejection_reason is null and not is_erased
                        order by tagged_at asc nulls last, contact_tag_row_id asc
                    )
        end as tag_rank
    from judged
),

final as (
    select
        contact_tag_row_id,
        load_batch_number,
        batch_row_number,
        contact_id,
        tag,
        tagged_at,
        rejection_reason,
        coalesce(tag_rank > 1, false) as is_collapsed,
        case when tag_rank > 1 then 'duplicate_tag' end as collapse_reason
    from ranked
    where not is_erased
)

select * from final
