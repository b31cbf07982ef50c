-- One row per load batch registration (docs/landing.md "Load batches"): where the
-- batch came from, when it was registered and processed, and what became of its
-- rows as of this build: rows read = kept + rejected + collapsed + erased. A
-- batch read again (reprocessed, or a whole table read on every run) keeps
-- its earlier registrations, with no rows of their own any more.

with

batches as (
    select * from {{ ref('stg_marketing__load_batches') }}
),

{% for table in landing_tables() if not is_reference_table(table) %}
    {%- set admission = admission_of(table) %}
    {{ table }}_read as (
        select
            load_batch_number,
            count(*) as rows_read
        from {{ ref('stg_marketing__' ~ table) }}
        group by load_batch_number
    ),

    {{ table }}_fates as (
        {{ admission_counts_sql(table, group_by='load_batch_number') }}
    ),

    {{ table }}_rows as (
        select
            batch_read.load_batch_number,
            batch_read.rows_read,
            coalesce(fates.rows_rejected, 0) as rows_rejected,
            coalesce(fates.rows_collapsed, 0) as rows_collapsed,
            {%- if admission.all_rows %}
                batch_read.rows_read - coalesce(fates.rows_listed, 0) as rows_erased
            {%- else %}
                coalesce(fates.rows_erased, 0) as rows_erased
            {%- endif %}
        from {{ table }}_read as batch_read
        left join {{ table }}_fates as fates on batch_read.load_batch_number = fates.load_batch_number
    ),

{% endfor %}
batch_rows as (
    {% for table in landing_tables() if not is_reference_table(table) %}
        select * from {{ table }}_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        batches.load_batch_number,
        batches.raw_table,
        batches.batch_name,
        batches.batch_size,
        batches.batch_modified_at,
        batches.registered_at,
        batches.is_reprocessed,
        batches.is_whole_table,
        cast(coalesce(batch_rows.rows_read, 0) as {{ dbt.type_bigint() }}) as rows_read,
        cast(coalesce(
            batch_rows.rows_read - batch_rows.rows_rejected - batch_rows.rows_collapsed - batch_rows.rows_erased, 0
        ) as {{ dbt.type_bigint() }}) as rows_kept,
        cast(coalesce(batch_rows.rows_rejected, 0) as {{ dbt.type_bigint() }}) as rows_rejected,
        cast(coalesce(batch_rows.rows_collapsed, 0) as {{ dbt.type_bigint() }}) as rows_collapsed,
        cast(coalesce(batch_rows.rows_erased, 0) as {{ dbt.type_bigint() }}) as rows_erased
    from batches
    left join batch_rows on batches.load_batch_number = batch_rows.load_batch_number
)

select * from final
