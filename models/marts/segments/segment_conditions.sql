-- The conditions that explain each segment's membership, one row per segment and
-- condition of its rule, with its text: what contact_segment_conditions reports
-- for every person. A small table, so that the per-person view carries keys, not texts.
-- The list of values is generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
{%- set explained = segment_condition_rows(segment_plan()) %}

with

-- one list of values, not a union of one-row selects: Spark writes a file per branch of a union
conditions as (
    {%- if explained.rows %}
        select
            condition_rows.segment_condition_id,
            condition_rows.segment_name,
            condition_rows.condition_path,
            condition_rows.condition_text
        from (
            values
            {%- for row in explained.rows %}
                ('{{ row.segment_condition_id }}', '{{ row.segment_name }}', '{{ row.condition_path }}',
                    '{{ row.condition_text | replace("'", "''") }}'){{ ',' if not loop.last }}
            {%- endfor %}
        ) as condition_rows (segment_condition_id, segment_name, condition_path, condition_text)
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as segment_condition_id,
            cast(null as {{ dbt.type_string() }}) as segment_name,
            cast(null as {{ dbt.type_string() }}) as condition_path,
            cast(null as {{ dbt.type_string() }}) as condition_text
        where false
    {%- endif %}
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
