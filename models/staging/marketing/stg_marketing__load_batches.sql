-- The manifest of load batches (docs/landing.md "Load batches"): one row per
-- batch registration of every batch-tracked landing table. A run registers the
-- batches that are new since the last one, and the staging models then read
-- those batches only. A registered file that changed since (another size, or
-- another modification time and checksum) or is gone stops the run, unless
-- reprocess_changed_batches is set: then a changed file is registered again and
-- read again in place of the old one, and a file that is gone is registered as
-- removed, its rows dropped. A whole table (a single file, or a table without
-- load times) is registered again on every run.
{{ config(
    materialized=incremental_materialization(appends_batches=true),
    incremental_strategy='append',
    on_schema_change='fail',
) }}
{%- set registered = this if is_incremental() else none %}
{%- do check_changed_batches(registered) %}

{{ batch_judgement_sql(registered) }},

to_register as (
    select * from judged
    where batch_status in ('new', 'whole_table', 'changed', 'removed')
),

numbered_before as (
    select
        {%- if registered is not none %}
            coalesce(max(load_batch_number), 0) as last_number
        from {{ registered }}
        {%- else %}
            0 as last_number
        {%- endif %}
),

final as (
    select
        numbered_before.last_number + row_number() over (
            order by {{ landing_table_order('to_register.raw_table') }}, to_register.batch_value
        ) as load_batch_number,
        to_register.raw_table,
        to_register.batch_name,
        to_register.batch_value,
        to_register.batch_size,
        to_register.batch_modified_at,
        to_register.batch_checksum,
        to_register.batch_status = 'changed' as is_reprocessed,
        to_register.batch_status = 'removed' as is_removed,
        to_register.is_whole_table,
        {{ run_started_at_sql() }} as registered_at,
        '{{ invocation_id }}' as invocation_id
    from to_register
    cross join numbered_before
)

select * from final
