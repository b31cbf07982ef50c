-- The kept events a delta run folds into the per-contact state
-- (docs/incremental.md), re-keyed to their person: every event of the persons
-- recomputed from their whole history, and for the persons merged only the
-- events they gained since the last run: kept now and not before, or of a day
-- that came as as_of moved on. Empty in a full run, where every state table
-- reads all kept events instead.
{%- set run = incremental_run() %}
{%- set persons = ref('int_state_persons') %}
{%- set judged_events = ref('int_events_judged') %}
{%- set contact_ids = ref('int_contact_ids_mapped') %}
{%- set days_came = days_that_came_where(run, 'staged.') %}

{% if run.mode == 'delta' %}
with

persons as (
    select * from {{ persons }}
),

recomputed_ids as (
    select ids.contact_id from {{ contact_ids }} as ids
    inner join persons on ids.canonical_contact_id = persons.contact_id
    where persons.is_recomputed
),

gained_rows as (
    select event_row_id from {{ judged_events }}
    where judged_in_run = '{{ invocation_id }}' and is_kept and not was_kept
),

history as (
    {{ kept_events_sql("staged.contact_id in (select recomputed_ids.contact_id from recomputed_ids)") }}
),

gained as (
    {{ kept_events_sql("staged.event_row_id in (select gained_rows.event_row_id from gained_rows)") }}
    {%- if days_came %}
        union all
        {{ kept_events_sql(days_came ~ " and staged.event_row_id not in (select gained_rows.event_row_id from gained_rows)") }}
    {%- endif %}
),

final as (
    select * from history
    union all
    select gained.* from gained
    inner join persons on gained.contact_id = persons.contact_id
    where not persons.is_recomputed
)

select * from final
{% else %}
    {{ kept_events_sql('false') }}
{% endif %}
