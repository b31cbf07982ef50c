-- Row accounting per landing table (docs/landing.md "Nothing is lost"):
-- rows_in = rows_kept + rows_rejected + rows_collapsed + rows_erased. rows_in
-- counts the staged rows. Events: every staged event not in int_events_dropped
-- is kept. Other tables: their admission model lists every row but an erased
-- person's, so the rows it does not list are the erased ones. A table landed
-- as CSV files also has their physical lines, to check rows_in against.

with

{% for table in landing_tables() %}
    {%- set admission = admission_of(table) %}
    {{ table }}_staged as (
        select cast(count(*) as {{ dbt.type_bigint() }}) as rows_in
        from {{ ref('stg_marketing__' ~ table) }}
    ),

    {{ table }}_fates as (
        {{ admission_counts_sql(table) }}
    ),

    {{ table }}_lines as (
        {{ landed_line_counts_sql(table) }}
    ),

    {{ table }} as (
        select
            '{{ table }}' as source_table,
            staged.rows_in,
            {%- if admission.all_rows %}
                fates.rows_listed - fates.rows_rejected - fates.rows_collapsed as rows_kept,
                fates.rows_rejected,
                fates.rows_collapsed,
                staged.rows_in - fates.rows_listed as rows_erased
            {%- else %}
                staged.rows_in - fates.rows_listed as rows_kept,
                fates.rows_rejected,
                fates.rows_collapsed,
                fates.rows_erased
            {%- endif %},
            line_counts.file_lines,
            line_counts.blank_lines,
            line_counts.lines_in_quoted_fields
        from {{ table }}_staged as staged
        cross join {{ table }}_fates as fates
        cross join {{ table }}_lines as line_counts
    ),

{% endfor %}
final as (
    {% for table in landing_tables() %}
        select * from {{ table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
