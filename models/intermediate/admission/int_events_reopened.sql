-- The event ids whose copies a delta run judges again (docs/incremental.md), as
-- event_id_hash: the ids of the rows of new batches, and of the rows whose fate
-- can have changed since the last run (their contact arrived or was erased,
-- their time is no longer in the future). A table, so that the join that fetches
-- their copies from the staged events knows how small it is. Empty in a full run.
-- depends_on: {{ ref('int_incremental_runs') }}
{%- set run = incremental_run() %}
{%- set staged = ref('stg_marketing__events') %}
{%- set staged_contacts = ref('stg_marketing__contacts') %}
{%- set erased_contacts = ref('int_erased_contacts') %}

{% if run.mode == 'delta' %}
with

dropped as (
    select * from {{ previous_state('int_events_dropped') }}
),

flipping as (
    select event_row_id from dropped
    where
        (rejection_reason = 'future_timestamp' and occurred_at <= {{ future_cutoff_sql() }})
        or (
            rejection_reason = 'unknown_contact'
            and contact_id in (select contacts.contact_id from {{ staged_contacts }} as contacts)
        )
),

reopened as (
    select event_id_hash from {{ staged }}
    where load_batch_number > {{ run.last_folded_batch }} and event_id is not null
    union
    select event_id_hash from {{ staged }}
    where event_row_id in (select flipping.event_row_id from flipping) and event_id is not null
    union
    -- No event_id filter here: it would read every staged event id before the
    -- contact probe. A row without one adds the hash of null, which fetches
    -- nothing: int_events_judged fetches only copies that have an event id.
    select event_id_hash from {{ staged }}
    where contact_id in (
        select erased.contact_id from {{ erased_contacts }} as erased
        where erased.erased_in_run = '{{ invocation_id }}'
    )
)

select * from reopened
{% else %}
    select event_id_hash from {{ staged }}
    where false
{% endif %}
