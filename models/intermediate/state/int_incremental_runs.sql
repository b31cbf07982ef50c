-- One row per run that builds the per-contact state (docs/incremental.md):
-- whether it folds in only what changed since the last committed run ('delta')
-- or rebuilds event admission and every state table from all staged rows
-- ('full'), and why. The admission and state models read this run's row.
{{ config(materialized=incremental_materialization(), incremental_strategy='append', on_schema_change='fail') }}
{%- set commits = adapter.get_relation(this.database, this.schema, 'int_state_commits') if execute else none %}
{%- set has_history = is_incremental() and commits is not none %}

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
        select invocation_id from {{ this }}
        order by run_started_at desc
        limit 1
    ),

    last_commit as (
        select
            invocation_id,
            as_of_date,
            last_batch_number,
            settings_fingerprint
        from {{ commits }}
        order by committed_at desc
        limit 1
    ),
{% else %}
    last_run as (
        select cast(null as {{ dbt.type_string() }}) as invocation_id
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
        last_commit.as_of_date as previous_as_of_date,
        last_commit.last_batch_number as committed_batch,
        case
            when last_run.invocation_id is null then 'first build of the state'
            when last_commit.invocation_id is null then 'no committed state yet'
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
        settings_fingerprint
    from decided
)

select * from final
