-- One row per run whose per-contact state was fully built (docs/incremental.md):
-- the as_of and the last load batch the state now holds. It is built last, so a
-- run that fails or is stopped half-way leaves no commit, and the next run
-- rebuilds the state in full instead of folding into a half-updated one.
-- depends_on: {{ ref('int_email_messages') }}
-- depends_on: {{ ref('int_email_bounces') }}
-- depends_on: {{ ref('int_contact_activity') }}
-- depends_on: {{ ref('int_contact_days') }}
-- depends_on: {{ ref('int_contact_open_quarters') }}
-- depends_on: {{ ref('int_contact_site_touches') }}
-- depends_on: {{ ref('int_contact_trait_days') }}
-- depends_on: {{ ref('int_contact_loyalty_days') }}
-- depends_on: {{ ref('int_order_lines') }}
-- depends_on: {{ ref('int_state_person_ids') }}
-- depends_on: {{ ref('int_events_dropped') }}
{{ config(materialized=incremental_materialization(), incremental_strategy='append', on_schema_change='fail') }}

with

this_run as (
    select * from {{ ref('int_incremental_runs') }}
    where invocation_id = '{{ invocation_id }}'
),

final as (
    select
        invocation_id,
        {{ run_started_at_sql() }} as committed_at,
        as_of_date,
        run_mode,
        last_registered_batch as last_batch_number,
        settings_fingerprint
    from this_run
)

select * from final
