-- The custom attributes listed in the custom_attributes var, one attr_<name>
-- column each, typed by the var: number (decimal), boolean, text and one_of
-- (text), many_of (a sorted list of the '|'-separated items). Only values set
-- by the end of as_of count, and only rows whose own attribute_type matches
-- the declared one. Across a person's merged ids the latest value wins (ties:
-- the smallest contact id).
{%- set pivot_columns = [] %}
{%- set final_columns = [] %}
{%- for attribute in custom_attributes() %}
    {%- set name = 'attr_' ~ attribute['name'] %}
    {%- set match = "attribute_name = '" ~ attribute['name'] ~ "' and attribute_type = '" ~ attribute['type'] ~ "'" %}
    {%- if attribute['type'] == 'number' %}
        {%- do pivot_columns.append('max(case when ' ~ match ~ ' then number_value end) as ' ~ name) %}
        {%- do final_columns.append('pivoted.' ~ name ~ ' as ' ~ name) %}
    {%- elif attribute['type'] == 'boolean' %}
        {%- do pivot_columns.append(any_where(match ~ ' and boolean_value') ~ ' as ' ~ name ~ '_true') %}
        {%- do pivot_columns.append(any_where(match ~ ' and boolean_value is not null') ~ ' as ' ~ name ~ '_known') %}
        {%- do final_columns.append('case when pivoted.' ~ name ~ '_known then pivoted.' ~ name ~ '_true end as '
            ~ name) %}
    {%- else %}
        {%- do pivot_columns.append('max(case when ' ~ match ~ ' then attribute_value end) as ' ~ name) %}
        {%- if attribute['type'] == 'many_of' %}
            {%- do final_columns.append(split_to_list('pivoted.' ~ name) ~ ' as ' ~ name) %}
        {%- else %}
            {%- do final_columns.append('pivoted.' ~ name ~ ' as ' ~ name) %}
        {%- endif %}
    {%- endif %}
{%- endfor %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

id_map as (
    select * from {{ ref('int_contact_ids_mapped') }}
),

attribute_values as (
    select
        id_map.canonical_contact_id as contact_id,
        attributes.contact_id as source_contact_id,
        attributes.attribute_name,
        attributes.attribute_type,
        attributes.attribute_value,
        attributes.number_value,
        attributes.boolean_value,
        attributes.updated_at
    from {{ ref('int_contact_attributes_admitted') }} as attributes
    inner join id_map on attributes.contact_id = id_map.contact_id
    where
        attributes.rejection_reason is null
        and not attributes.is_collapsed
        and attributes.is_updated_by_as_of
),

latest as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by contact_id, attribute_name
                order by updated_at desc nulls last, source_contact_id asc
            ) as value_rank
        from attribute_values
    ) as ranked_values
    where value_rank = 1
),

-- The pivot columns are generated, one per line; sqlfluff cannot see their layout.
-- noqa: disable=LT02
pivoted as (
    select
        contact_id{% for column in pivot_columns %},
        {{ column }}{% endfor %}
    from latest
    group by contact_id
),

final as (
    select
        contacts.contact_id{% for column in final_columns %},
        {{ column }}{% endfor %}
    from contacts
    left join pivoted on contacts.contact_id = pivoted.contact_id
)

-- noqa: enable=LT02
select * from final
