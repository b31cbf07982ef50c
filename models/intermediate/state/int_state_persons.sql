-- The persons whose per-contact state a delta run changes (docs/incremental.md),
-- each either recomputed from its whole history (an event of theirs stopped
-- counting, or their ids changed: merged, split, erased, come into existence)
-- or merged with the events they gained since the last run (new batches, events
-- whose contact arrived, events whose day came as as_of moved on). Empty in a
-- full run, which rebuilds everyone.
{%- set run = incremental_run() %}
{%- set judged_events = ref('int_events_judged') %}
{%- set person_ids = ref('int_state_person_ids') %}
{%- set staged_events = ref('stg_marketing__events') %}
{%- set days_came = days_that_came_where(run) %}

{% if run.mode == 'delta' %}
with

judged as (
    select * from {{ judged_events }}
    where judged_in_run = '{{ invocation_id }}'
),

person_ids as (
    select * from {{ person_ids }}
),

changed_ids as (
    select contact_id from person_ids
    where canonical_contact_id is distinct from previous_canonical_contact_id
    union
    select contact_id from judged
    where was_kept and not is_kept
),

recomputed as (
    select person_ids.previous_canonical_contact_id as contact_id from person_ids
    inner join changed_ids on person_ids.contact_id = changed_ids.contact_id
    union
    select person_ids.canonical_contact_id from person_ids
    inner join changed_ids on person_ids.contact_id = changed_ids.contact_id
),

recomputed_persons as (
    select contact_id from recomputed
    where contact_id is not null
),

gained as (
    -- events kept now and not before, and events whose day came: as_of moved on
    select contact_id from judged
    where is_kept and not was_kept and occurred_at < {{ as_of_end_sql() }}
    {%- if days_came %}
        union
        select contact_id from {{ staged_events }}
        where {{ days_came }}
    {%- endif %}
),

merged as (
    select person_ids.canonical_contact_id as contact_id from person_ids
    inner join gained on person_ids.contact_id = gained.contact_id
    where person_ids.canonical_contact_id is not null
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
