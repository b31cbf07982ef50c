-- The conditions that explain each segment's membership, one row per segment and
-- condition of its rule, with its text: what contact_segment_conditions reports
-- for every person. A small table, so that the per-person view carries keys, not texts.
{%- set explained = segment_condition_rows(segment_plan()) %}

with

conditions as (
    {%- for row in explained.rows %}
        select
            '{{ row.segment_condition_id }}' as segment_condition_id,
            '{{ row.segment_name }}' as segment_name,
            '{{ row.condition_path }}' as condition_path,
            '{{ row.condition_text | replace("'", "''") }}' as condition_text
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as segment_condition_id,
            cast(null as {{ dbt.type_string() }}) as segment_name,
            cast(null as {{ dbt.type_string() }}) as condition_path,
            cast(null as {{ dbt.type_string() }}) as condition_text
        where false
    {%- endfor %}
),

final as (
    select
        segment_condition_id,
        segment_name,
        condition_path,
        condition_text
    from conditions
)

select * from final
