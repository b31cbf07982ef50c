-- A table: its de-duplication would otherwise run again in every model that
-- reads it (staging, identity, the erasure lists, data quality).
{{ config(materialized='table') }}

-- Every raw attribute row with its fate. Values are validated against their
-- declared type; per contact and attribute the latest value known by the end of
-- as_of wins (the same rule as contact records).
with

source as (
    select * from {{ raw_source('contact_attributes') }}
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
        {{ clean_code('attribute_name') }} as attribute_name,
        {{ clean_text('attribute_value') }} as attribute_value,
        {{ clean_code('attribute_type') }} as attribute_type,
        {{ to_utc_timestamp(clean_text('updated_at')) }} as updated_at,
        {{ row_fingerprint(['contact_id', 'attribute_name', 'attribute_value',
            'attribute_type', 'updated_at']) }} as row_fingerprint
    from source
),

typed as (
    select
        *,
        case when attribute_type = 'number'
                then {{ safe_cast('attribute_value', 'decimal(38,10)') }}
        end as number_value,
        case when attribute_type = 'boolean'
                then {{ parse_boolean('attribute_value') }}
        end as boolean_value
    from cleaned
),

judged as (
    select
        typed.*,
        {{ record_key('typed.row_fingerprint') }} as contact_attribute_record_key,
        coalesce(typed.updated_at < {{ as_of_end_sql() }}, true) as is_updated_by_as_of,
        erased.contact_id is not null as is_erased,
        case
            when known_contacts.contact_id is null then 'unknown_contact'
            when typed.attribute_name is null then 'missing_attribute_name'
            when typed.attribute_type is null
                or typed.attribute_type not in ('number', 'text', 'boolean', 'one_of', 'many_of')
                then 'invalid_attribute_value'
            when typed.attribute_value is null then null
            when typed.attribute_type = 'number' and typed.number_value is null
                then 'invalid_attribute_value'
            when typed.attribute_type = 'boolean' and typed.boolean_value is null
                then 'invalid_attribute_value'
        end as rejection_reason
    from typed
    left join erased on typed.contact_id = erased.contact_id
    left join known_contacts on typed.contact_id = known_contacts.contact_id
),

ranked as (
    select
        *,
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by
                            contact_id, attribute_name, rejection_reason is null and not is_erased
                        order by
                            case when is_updated_by_as_of then 0 else 1 end,
                            case when is_updated_by_as_of then updated_at end desc nulls last,
                            updated_at asc nulls last,
                            contact_attribute_record_key asc
                    )
        end as attribute_rank
    from judged
),

final as (
    select
        contact_attribute_record_key,
        contact_id,
        attribute_name,
        attribute_type,
        attribute_value,
        number_value,
        boolean_value,
        updated_at,
        is_updated_by_as_of,
        is_erased,
        rejection_reason,
        coalesce(attribute_rank > 1, false) as is_collapsed,
        case when attribute_rank > 1 then 'superseded_attribute_value' end as collapse_reason
    from ranked
)

select * from final
