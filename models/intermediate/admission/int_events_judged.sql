-- The staged events whose fate this run decides (docs/incremental.md). A full run
-- judges every staged event and keeps the rows that are not kept; a delta run
-- judges every copy of the event ids of int_events_reopened and keeps them all,
-- with was_kept (kept and folded into the state before this run) and is_kept.
-- depends_on: {{ ref('int_incremental_runs') }}
{%- set run = incremental_run() %}
{%- set delta = run.mode == 'delta' %}
{%- set staged = ref('stg_marketing__events') %}
{%- set erased_contacts = ref('int_erased_contacts') %}
{%- set reopened_events = ref('int_events_reopened') %}
{%- set candidates = 'candidates' if delta else staged %}
{#- The staged events are read by name, never through a CTE: a CTE read twice is materialized whole. #}

with

known_contacts as (
    select distinct contact_id from {{ ref('stg_marketing__contacts') }}
    where contact_id is not null
),

{% if delta %}
    dropped as (
        select * from {{ previous_state('int_events_dropped') }}
    ),

    candidates as (
        select * from {{ staged }}
        where event_id is not null and event_id_hash in (select reopened.event_id_hash from {{ reopened_events }} as reopened)
        union all
        -- rows without an event id are judged alone: when new, and again when their contact is erased
        select * from {{ staged }}
        where
            event_id is null
            and (
                load_batch_number > {{ run.last_folded_batch }}
                or contact_id in (
                    select erased.contact_id from {{ erased_contacts }} as erased
                    where erased.erased_in_run = '{{ invocation_id }}'
                )
            )
    ),
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
            judged.load_batch_number <= {{ run.last_folded_batch }}
            and judged.event_row_id not in (select dropped.event_row_id from dropped) as was_kept
        {%- else %}
            false as was_kept
        {%- endif %}
    from judged
    left join ranked_copies on judged.event_row_id = ranked_copies.event_row_id
)

select * from final
{%- if not delta %}
    where not is_kept
{%- endif %}
