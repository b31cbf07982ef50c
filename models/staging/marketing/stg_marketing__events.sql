-- Every raw event row of the batches staged in this run.
-- Cleaned and cast only (docs/landing.md): text trimmed (empty = null), codes
-- lower-cased, times in UTC, numbers and flags typed, values that did not parse
-- kept as text in unparsed_values. Rows are appended batch by batch and never
-- rewritten; the admission models decide each row's fate.
{{ config(
    materialized=incremental_materialization(appends_batches=true),
    incremental_strategy='append',
    on_schema_change='fail',
    partition_by=load_batch_partitions(),
    pre_hook="{{ drop_superseded_batches(this) }}",
) }}
{%- set columns = landing_columns('events', warn=true) %}

with

landed as (
    {{ landed_rows_sql('events', this if is_incremental() else none) }}
),

typed as (
    select
        load_batch_number,
        batch_row_number,
        {{ landed_columns_sql('events', columns) }}
    from landed
),

final as (
    select
        {{ row_id_sql() }} as event_row_id,
        load_batch_number,
        batch_row_number,
        {{ landed_column_names('events') }},
        {{ id_hash('event_id') }} as event_id_hash,
        {{ unparsed_columns_sql('events', columns) }} as unparsed_columns,
        {{ unparsed_values_sql('events', columns) }} as unparsed_values
    from typed
)

select * from final
