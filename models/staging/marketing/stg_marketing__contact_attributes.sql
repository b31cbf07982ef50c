-- One value per contact and attribute. `is_updated_by_as_of` is false when the
-- only value was set after as_of: features treat such an attribute as unknown.
with

attributes as (
    select * from {{ ref('base_marketing__contact_attributes') }}
    where not is_erased and rejection_reason is null and not is_collapsed
),

final as (
    select
        contact_id || ':' || attribute_name as contact_attribute_id,
        contact_id,
        attribute_name,
        attribute_type,
        attribute_value,
        number_value,
        boolean_value,
        updated_at,
        is_updated_by_as_of
    from attributes
)

select * from final
