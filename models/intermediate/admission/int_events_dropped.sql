-- Every staged event that is not kept, with its fate (docs/landing.md): erased,
-- rejected with the first reason that applies, or a collapsed copy of an event
-- id. The kept events are the staged events that are not here. A run replaces
-- the rows it judged again (int_events_judged) and leaves the others alone.
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    partition_by=load_batch_partitions(),
    pre_hook=[
        "{{ clear_rebuilt_state(this) }}",
        "{% if is_incremental() and incremental_run().mode == 'delta' %}delete from {{ this }} where event_row_id in
            (select event_row_id from {{ ref('int_events_judged') }}){% endif %}",
    ],
) }}

with

judged as (
    select * from {{ ref('int_events_judged') }}
    where not is_kept
),

final as (
    select
        event_row_id,
        load_batch_number,
        batch_row_number,
        event_id,
        contact_id,
        occurred_at,
        is_erased,
        rejection_reason,
        is_collapsed,
        collapse_reason,
        unparsed_values
    from judged
)

select * from final
