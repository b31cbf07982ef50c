-- A table: its de-duplication would otherwise run again in every model that
-- reads it (staging, identity, the erasure lists, data quality).
{{ config(materialized='table') }}

-- Every raw tag row with its fate. Tags are trimmed and lower-cased so that
-- 'Eco_Conscious' and 'eco_conscious' are one tag; a repeated tag keeps its
-- earliest tagged_at.
with

source as (
    select * from {{ raw_source('contact_tags') }}
),

erased as (
    select contact_id from {{ ref('stg_marketing__erased_contacts') }}
),

known_contacts as (
    select distinct contact_id
    from {{ ref('base_marketing__contacts') }}
    where contact_id is not null
),

cleaned as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_code('tag') }} as tag,
        {{ to_utc_timestamp(clean_text('tagged_at')) }} as tagged_at,
        {{ row_fingerprint(['contact_id', 'tag', 'tagged_at']) }} as row_fingerprint
    from source
),

judged as (
    select
        cleaned.*,
        {{ record_key('cleaned.row_fingerprint') }} as contact_tag_record_key,
        erased.contact_id is not null as is_erased,
        case
            when known_contacts.contact_id is null then 'unknown_contact'
            when cleaned.tag is null then 'missing_tag'
        end as rejection_reason
    from cleaned
    left join erased on cleaned.contact_id = erased.contact_id
    left join known_contacts on cleaned.contact_id = known_contacts.contact_id
),

ranked as (
    select
        *,
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by contact_id, tag, rejection_reason is null and not is_erased
                        order by tagged_at asc nulls last, contact_tag_record_key asc
                    )
        end as tag_rank
    from judged
),

final as (
    select
        contact_tag_record_key,
        contact_id,
        tag,
        tagged_at,
        is_erased,
        rejection_reason,
        coalesce(tag_rank > 1, false) as is_collapsed,
        case when tag_rank > 1 then 'duplicate_tag' end as collapse_reason
    from ranked
)

select * from final
