-- The fate of the staged events (docs/incremental.md): every staged event that is
-- not kept, and the rows this run judged (judged_in_run). A full run judges every
-- staged event and holds the rows that are not kept; a delta run reads the rows
-- that were not kept from its own table, judges again every copy of the event ids
-- whose fate can have changed (reopened), and replaces their rows by key: kept or
-- not, with was_kept (kept and folded into the state before this run). The pre-hook
-- first deletes the kept rows of the last run; on Spark the next one writes the
-- candidates to a table of their own first (judged_candidates_table).
-- int_events_dropped is its rows that are not kept.
{{ config(
    materialized=incremental_materialization(holds_state=true),
    unique_key='event_row_id',
    incremental_strategy='state_merge',
    on_schema_change='sync_all_columns',
    pre_hook=[
        "{{ clear_rebuilt_state(this) }}",
        "{% if is_incremental() and incremental_run().mode == 'delta' %}{{ delete_rows(this, 'is_kept') }}{% endif %}",
        "{{ write_judged_candidates(this) }}",
    ],
    post_hook="{% if judged_candidates_table(this) %}drop table if exists {{ judged_candidates_table(this) }}{% endif %}",
) }}
{%- set run = incremental_run() %}
{%- set delta = run.mode == 'delta' and is_incremental() %}
{%- set staged = ref('stg_marketing__events') %}
{%- set candidates_table = judged_candidates_table(this) %}
{%- set candidates = (candidates_table or 'candidates') if delta else staged %}
{#- The staged events are read by name, never through a CTE: a CTE read twice is materialized whole. #}

with

known_contacts as (
    select distinct contact_id from {{ ref('stg_marketing__contacts') }}
    where contact_id is not null
),

{% if delta %}
    -- the rows not kept before this run (the pre-hook left only those)
    dropped as (
        select * from {{ this }}
    ),
    {%- if candidates_table is none %}

        {{ judged_candidates_sql(run, 'dropped') }},
    {%- endif %}
{% endif %}

-- Most event ids occur once: only the copies of repeated ids are ranked.
repeated as (
    select event_id_hash from {{ candidates }}
    where event_id is not null
    group by event_id_hash
    having count(*) > 1
),

copies as (
    select * from {{ candidates }}
    where event_id_hash in (select repeated.event_id_hash from repeated) and event_id is not null
),

judged_copies as (
    {{ judged_events_sql('copies') }}
),

ranked_copies as (
    select
        event_row_id,
        row_number() over (partition by event_id order by {{ event_copy_order() }}) as copy_rank
    from judged_copies
    where rejection_reason is null and not is_erased
),

judged as (
    {{ judged_events_sql(candidates) }}
),

final as (
    select
        judged.event_row_id,
        judged.load_batch_number,
        judged.batch_row_number,
        -- an erased person's rows are only counted: none of their values go on
        case when not judged.is_erased then judged.event_id end as event_id,
        case when not judged.is_erased then judged.contact_id end as contact_id,
        case when not judged.is_erased then judged.occurred_at end as occurred_at,
        case when not judged.is_erased then judged.unparsed_values end as unparsed_values,
        judged.is_erased,
        case when not judged.is_erased then judged.rejection_reason end as rejection_reason,
        coalesce(ranked_copies.copy_rank > 1, false) as is_collapsed,
        case when ranked_copies.copy_rank > 1 then 'duplicate_event_id' end as collapse_reason,
        not judged.is_erased and judged.rejection_reason is null and coalesce(ranked_copies.copy_rank, 1) = 1
            as is_kept,
        {%- if delta %}
            -- a join, not `not in (select ...)`: Spark runs that, in a select list, as a nested loop
            judged.load_batch_number <= {{ run.last_folded_batch }} and held_dropped.event_row_id is null as was_kept
        {%- else %}
            false as was_kept
        {%- endif %},
        '{{ invocation_id }}' as judged_in_run
    from judged
    left join ranked_copies on judged.event_row_id = ranked_copies.event_row_id
    {%- if delta %}
        left join dropped as held_dropped on judged.event_row_id = held_dropped.event_row_id
    {%- endif %}
)

select * from final
{%- if not delta %}
    where not is_kept
{%- endif %}
