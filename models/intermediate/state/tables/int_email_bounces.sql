-- Per-contact state (docs/incremental.md): one row per kept email_bounced event
-- up to as_of, with its time and whether it counts as soft (no or an unknown
-- bounce_type is soft). Kept apart so that the soft-bounce run reads these few
-- rows instead of every staged event; a delta run adds the bounces a person gained.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id', 'event_row_id'],
) }}

{%- set gained %}
    -- One row per kept event already (int_state_delta holds each staged row once).
    select
        contact_id,
        event_row_id,
        occurred_at,
        coalesce(bounce_type, 'soft') != 'hard' as is_soft
    from events
{%- endset %}

{{ state_table(
    events_where="event_type = 'email_bounced'",
    gained=gained,
    folds={'occurred_at': 'max', 'is_soft': 'any'},
) }}
