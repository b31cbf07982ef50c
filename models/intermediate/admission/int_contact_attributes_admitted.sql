-- Every staged custom attribute row with its fate (docs/landing.md): erased,
-- rejected (unknown contact, no attribute name, or a value that does not fit
-- its type), superseded, or kept. Values are validated against their declared
-- type; per contact and attribute the latest value set by the end of as_of
-- wins (the same rule as contact records).
with

attributes as (
    select * from {{ ref('stg_marketing__contact_attributes') }}
),

erased as (
    select contact_id from {{ ref('int_erased_contacts') }}
),

known_contacts as (
    select distinct contact_id from {{ ref('stg_marketing__contacts') }}
    where contact_id is not null
),

typed as (
    select
        *,
        case when attribute_type = 'number' then {{ cast_or_null('attribute_value', 'decimal(38, 10)') }} end
            as number_value,
        case when attribute_type = 'boolean' then {{ parse_boolean('attribute_value') }} end as boolean_value
    from attributes
),

judged as (
    select
        typed.*,
        coalesce(typed.updated_at < {{ as_of_end_sql() }}, true) as is_updated_by_as_of,
        erased.contact_id is not null as is_erased,
        case
            when {{ is_unreadable_row('typed') }} then 'unreadable_row'
            when known_contacts.contact_id is null then 'unknown_contact'
            when typed.attribute_name is null then 'missing_attribute_name'
            when typed.attribute_type is null
                or typed.attribute_type not in ('number', 'text', 'boolean', 'one_of', 'many_of')
                then 'invalid_attribute_value'
            when typed.attribute_value is null then null
            when typed.attribute_type = 'number' and typed.number_value is null then 'invalid_attribute_value'
            when typed.attribute_type = 'boolean' and typed.boolean_value is null then 'invalid_attribute_value'
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
                        partition by contact_id, attribute_name, rejection_reason is null and not is_erased
                        order by
                            case when is_updated_by_as_of then 0 else 1 end,
                            case when is_updated_by_as_of then updated_at end desc nulls last,
                            updated_at asc nulls last,
                            attribute_value asc nulls last,
                            attribute_type asc,
                            contact_attribute_row_id asc
                    )
        end as attribute_rank
    from judged
),

final as (
    select
        contact_attribute_row_id,
        load_batch_number,
        batch_row_number,
        contact_id,
        attribute_name,
        attribute_type,
        attribute_value,
        number_value,
        boolean_value,
        updated_at,
        is_updated_by_as_of,
        rejection_reason,
        coalesce(attribute_rank > 1, false) as is_collapsed,
        case when attribute_rank > 1 then 'superseded_attribute_value' end as collapse_reason
    from ranked
    where not is_erased
)

select * from final
