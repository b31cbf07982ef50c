with

tags as (
    select * from {{ ref('base_marketing__contact_tags') }}
    where not is_erased and rejection_reason is null and not is_collapsed
),

final as (
    select
        contact_id || ':' || tag as contact_tag_id,
        contact_id,
        tag,
        tagged_at
    from tags
)

select * from final
