-- The run manifest (docs/incremental.md): one row per run that builds the
-- per-contact state, saying whether it folds in only what changed since the
-- last committed run ('delta') or rebuilds event admission and every state
-- table from all staged rows ('full'), and why. Every state model refs it and
-- reads this run's row. The on-run-end hook commit_state_run sets committed_at
-- once every state model was built, and history_recorded_at once the segment
-- history was built too (history_guard reads it); record_partial_state_run adds
-- the 'partial' rows of selections that rebuild state models without it.
{{ config(materialized=incremental_materialization(holds_state=true), incremental_strategy='append',
    on_schema_change='append_new_columns') }}
{#- A manifest written before runs were numbered and committed in it holds no commit: the next run is full. #}
{%- set has_history = is_incremental()
    and 'run_number' in adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}

with

settings as (
    select {{ state_settings_fingerprint_sql() }} as settings_fingerprint
),

batches as (
    select
        coalesce(max(load_batch_number), 0) as last_registered_batch,
        -- staged events replaced or removed: the admission of events and the state start over
        {{ any_where("invocation_id = '" ~ invocation_id ~ "' and raw_table = 'events'"
            ~ " and (is_reprocessed or is_removed or is_whole_table)") }} as has_events_read_again
    from {{ ref('stg_marketing__load_batches') }}
),

{% if has_history %}
    last_run as (
        select
            invocation_id,
            run_number,
            run_mode
        from {{ this }}
        where run_number is not null
        order by run_number desc
        limit 1
    ),

    last_commit as (
        select
            invocation_id,
            as_of_date,
            last_registered_batch as last_batch_number,
            settings_fingerprint
        from {{ this }}
        where committed_at is not null and run_number is not null
        order by run_number desc
        limit 1
    ),
{% else %}
    last_run as (
        select
            cast(null as {{ dbt.type_string() }}) as invocation_id,
            cast(null as {{ dbt.type_bigint() }}) as run_number,
            cast(null as {{ dbt.type_string() }}) as run_mode
        where false
    ),

    last_commit as (
        select
            cast(null as {{ dbt.type_string() }}) as invocation_id,
            cast(null as date) as as_of_date,
            cast(null as {{ dbt.type_bigint() }}) as last_batch_number,
            cast(null as {{ dbt.type_string() }}) as settings_fingerprint
        where false
    ),
{% endif %}

decided as (
    select
        settings.settings_fingerprint,
        batches.last_registered_batch,
        coalesce(last_run.run_number, 0) + 1 as run_number,
        last_commit.as_of_date as previous_as_of_date,
        last_commit.last_batch_number as committed_batch,
        case
            when last_run.invocation_id is null then 'first build of the state'
            when last_commit.invocation_id is null then 'no committed state yet'
            when last_run.run_mode = 'partial' then 'a selection rebuilt state models without the run manifest'
            when last_commit.invocation_id != last_run.invocation_id then 'the last run did not commit its state'
            when {{ as_of_date_sql() }} < last_commit.as_of_date then 'as_of moved back'
            when settings.settings_fingerprint != last_commit.settings_fingerprint
                then 'settings or reference data changed'
            when batches.has_events_read_again then 'event batches were read again or removed'
        end as full_reason
    from settings
    cross join batches
    left join last_commit on true
    left join last_run on true
),

final as (
    select
        '{{ invocation_id }}' as invocation_id,
        {{ run_started_at_sql() }} as run_started_at,
        {{ as_of_date_sql() }} as as_of_date,
        case when full_reason is null then 'delta' else 'full' end as run_mode,
        coalesce(full_reason, 'only what changed since the last committed run') as reason,
        previous_as_of_date,
        cast(case when full_reason is null then committed_batch else 0 end as {{ dbt.type_bigint() }})
            as last_folded_batch,
        cast(last_registered_batch as {{ dbt.type_bigint() }}) as last_registered_batch,
        settings_fingerprint,
        cast(null as {{ dbt.type_timestamp() }}) as committed_at,
        cast(run_number as {{ dbt.type_bigint() }}) as run_number,
        cast(null as {{ dbt.type_timestamp() }}) as history_recorded_at
    from decided
)

select * from final
