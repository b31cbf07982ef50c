-- The persons whose per-contact state a delta run changes (docs/incremental.md),
-- each either recomputed from its whole history (an event of theirs stopped
-- counting, or their ids changed: merged, split, erased, come into existence)
-- or merged with the events they gained since the last run (new batches, events
-- whose contact arrived, events whose day came as as_of moved on). Empty in a
-- full run, which rebuilds everyone.
-- depends_on: {{ ref('int_incremental_runs') }}
-- depends_on: {{ ref('int_events_judged') }}
-- depends_on: {{ ref('int_contact_ids_mapped') }}
-- depends_on: {{ ref('stg_marketing__events') }}
{%- set run = incremental_run() %}

{% if run.mode == 'delta' %}
with

judged as (
    select * from {{ ref('int_events_judged') }}
),

previous_ids as (
    select * from {{ previous_state('int_state_person_ids') }}
),

current_ids as (
    select * from {{ ref('int_contact_ids_mapped') }}
),

changed_ids as (
    select coalesce(current_ids.contact_id, previous_ids.contact_id) as contact_id
    from current_ids
    full outer join previous_ids on current_ids.contact_id = previous_ids.contact_id
    where current_ids.canonical_contact_id is distinct from previous_ids.canonical_contact_id
    union
    select contact_id from judged
    where was_kept and not is_kept
),

recomputed as (
    select previous_ids.canonical_contact_id as contact_id from previous_ids
    inner join changed_ids on previous_ids.contact_id = changed_ids.contact_id
    union
    select current_ids.canonical_contact_id from current_ids
    inner join changed_ids on current_ids.contact_id = changed_ids.contact_id
),

recomputed_persons as (
    select contact_id from recomputed
    where contact_id is not null
),

gained as (
    -- events kept now and not before, and events whose day came: as_of moved on
    select contact_id from judged
    where is_kept and not was_kept and occurred_at < {{ as_of_end_sql() }}
    {%- if run.previous_as_of_date is not none and run.previous_as_of_date | string < as_of_date() | string %}
        union
        select contact_id from {{ ref('stg_marketing__events') }}
        where
            occurred_at >= cast('{{ run.previous_as_of_date }}' as date) + 1
            and occurred_at < {{ as_of_end_sql() }}
            and load_batch_number <= {{ run.last_folded_batch }}
    {%- endif %}
),

merged as (
    select current_ids.canonical_contact_id as contact_id from current_ids
    inner join gained on current_ids.contact_id = gained.contact_id
),

final as (
    select
        contact_id,
        true as is_recomputed
    from recomputed_persons
    union
    select
        contact_id,
        false as is_recomputed
    from merged
    where contact_id not in (select recomputed_persons.contact_id from recomputed_persons)
)

select * from final
{% else %}
    select
        cast(null as {{ dbt.type_string() }}) as contact_id,
        false as is_recomputed
    where false
{% endif %}
