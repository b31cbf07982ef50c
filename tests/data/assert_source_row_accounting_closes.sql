-- Row accounting closes for every source table: the raw row count equals
-- kept + rejected + collapsed + erased, the kept count equals the staging
-- model's rows, and the rejected and collapsed counts equal what rejected_rows
-- lists. Returns one row per table that does not add up.
{%- set tables = [
    ('contacts', 'stg_marketing__contacts'),
    ('events', 'stg_marketing__events'),
    ('contact_tags', 'stg_marketing__contact_tags'),
    ('contact_attributes', 'stg_marketing__contact_attributes'),
    ('suppressions', 'stg_marketing__suppressions'),
    ('erasure_requests', none),
    ('fx_rates', none),
] %}

with

raw_counts as (
    {% for source_table, staged in tables %}
        select
            '{{ source_table }}' as source_table,
            (select count(*) from {{ raw_source(source_table) }}) as raw_rows,
            {% if staged %}(select count(*) from {{ ref(staged) }}){% else %}null{% endif %} as staged_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

listed as (
    select
        source_table,
        sum(case when disposition = 'rejected' then 1 else 0 end) as listed_rejected,
        sum(case when disposition = 'collapsed' then 1 else 0 end) as listed_collapsed
    from {{ ref('rejected_rows') }}
    group by source_table
),

accounting as (
    select * from {{ ref('source_row_accounting') }}
)

select
    accounting.*,
    raw_counts.raw_rows,
    raw_counts.staged_rows,
    listed.listed_rejected,
    listed.listed_collapsed
from accounting
inner join raw_counts on accounting.source_table = raw_counts.source_table
left join listed on accounting.source_table = listed.source_table
where
    accounting.rows_in != raw_counts.raw_rows
    or accounting.rows_in
    != accounting.rows_kept + accounting.rows_rejected + accounting.rows_collapsed + accounting.rows_erased
    or accounting.rows_kept != coalesce(raw_counts.staged_rows, accounting.rows_kept)
    or accounting.rows_rejected != coalesce(listed.listed_rejected, 0)
    or accounting.rows_collapsed != coalesce(listed.listed_collapsed, 0)
