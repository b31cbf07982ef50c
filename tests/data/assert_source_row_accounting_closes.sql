-- Row accounting closes for every landing table: the rows the landing holds now
-- equal rows_in, rows_in equals kept + rejected + collapsed + erased, and the
-- rejected and collapsed counts equal what rejected_rows lists, and for CSV
-- files rows_in equals their lines less blank lines and lines inside quoted
-- fields. Returns one row per table that does not add up.

with

raw_counts as (
    {% for table in landing_tables() %}
        select
            '{{ table }}' as source_table,
            count(*) as raw_rows
        from {{ landing_relation(table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

listed as (
    select
        source_table,
        {{ count_where("disposition = 'rejected'") }} as listed_rejected,
        {{ count_where("disposition = 'collapsed'") }} as listed_collapsed
    from {{ ref('rejected_rows') }}
    group by source_table
),

accounting as (
    select * from {{ ref('source_row_accounting') }}
)

select
    accounting.*,
    raw_counts.raw_rows,
    listed.listed_rejected,
    listed.listed_collapsed
from accounting
inner join raw_counts on accounting.source_table = raw_counts.source_table
left join listed on accounting.source_table = listed.source_table
where
    accounting.rows_in != raw_counts.raw_rows
    or accounting.rows_in
    != accounting.rows_kept + accounting.rows_rejected + accounting.rows_collapsed + accounting.rows_erased
    or accounting.rows_rejected != coalesce(listed.listed_rejected, 0)
    or accounting.rows_collapsed != coalesce(listed.listed_collapsed, 0)
    or accounting.rows_in
    != accounting.file_lines - accounting.blank_lines - accounting.lines_in_quoted_fields
