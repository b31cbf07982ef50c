{#-
  The CTEs of a delta run's int_events_judged that find the event ids whose
  copies it judges again (docs/incremental.md), ending in `reopened` (one
  event_id_hash per id): the ids of the rows of new batches, of the rows whose
  fate can have changed since the last run (their contact arrived, their time is
  no longer in the future) and of the rows of the contacts erased in this run.
  `reopened` is materialized, so that the join fetching their copies from the
  staged events knows how small it is.
    run:     this run's row of the manifest (incremental_run())
    dropped: the rows not kept before this run (a relation or CTE name)
-#}
{% macro reopened_event_ids_sql(run, dropped) %}
  {%- set staged = ref('stg_marketing__events') -%}
  {{- return("flipping as (\n    select event_row_id from " ~ dropped ~ "\n    where\n"
      ~ "        (rejection_reason = 'future_timestamp' and occurred_at <= " ~ future_cutoff_sql() ~ ")\n"
      ~ "        or (rejection_reason = 'unknown_contact' and contact_id in (select contacts.contact_id from "
      ~ ref('stg_marketing__contacts') ~ " as contacts))\n),\n\n"
      ~ "reopened as " ~ materialized_cte() ~ " (\n"
      ~ "    select event_id_hash from " ~ staged ~ "\n"
      ~ "    where load_batch_number > " ~ run.last_folded_batch ~ " and event_id is not null\n"
      ~ "    union\n    select event_id_hash from " ~ staged ~ "\n"
      ~ "    where event_row_id in (select flipping.event_row_id from flipping) and event_id is not null\n"
      ~ "    union\n"
      ~ "    -- no event_id filter: it would read every staged event id before the contact probe\n"
      ~ "    select event_id_hash from " ~ staged ~ "\n    where contact_id in (select erased.contact_id from "
      ~ ref('int_erased_contacts') ~ " as erased where erased.erased_in_run = '" ~ invocation_id ~ "')\n)") -}}
{% endmacro %}
