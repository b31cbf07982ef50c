-- Each person's tags applied by the end of as_of (a tag without a date counts),
-- from all of its merged contact ids, as a sorted list without repeats.
with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

id_map as (
    select * from {{ ref('int_contact_ids_mapped') }}
),

tags as (
    select
        id_map.canonical_contact_id as contact_id,
        contact_tags.tag
    from {{ ref('int_contact_tags_admitted') }} as contact_tags
    inner join id_map on contact_tags.contact_id = id_map.contact_id
    where
        contact_tags.rejection_reason is null
        and not contact_tags.is_collapsed
        and (contact_tags.tagged_at is null or contact_tags.tagged_at < {{ as_of_end_sql() }})
),

aggregated as (
    select
        contact_id,
        {{ string_list_agg('tag') }} as tags,
        count(distinct tag) as tag_count
    from tags
    group by contact_id
),

final as (
    select
        contacts.contact_id,
        aggregated.tags,
        coalesce(aggregated.tag_count, 0) as tag_count
    from contacts
    left join aggregated on contacts.contact_id = aggregated.contact_id
)

select * from final
