{#-
  The CTEs of a delta run's int_events_judged that find the staged events it
  judges again (docs/incremental.md), ending in `candidates`: every copy of the
  event ids reopened (`reopened`, one event_id_hash per id, materialized so that
  the join fetching their copies knows how small it is): the ids of the rows of
  new batches, of the rows whose fate can have changed since the last run (their
  contact arrived, their time is no longer in the future) and of the rows of the
  contacts erased in this run; and the rows without an event id, judged alone:
  when new, and again when their contact is erased.
    run:     this run's row of the manifest (incremental_run())
    dropped: the rows not kept before this run (a relation or CTE name)
-#}
{% macro judged_candidates_sql(run, dropped) %}
  {%- set staged = ref('stg_marketing__events') -%}
  {%- set erased_now = "select erased.contact_id from " ~ ref('int_erased_contacts')
      ~ " as erased where erased.erased_in_run = '" ~ invocation_id ~ "'" -%}
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
      ~ "    select event_id_hash from " ~ staged ~ "\n    where contact_id in (" ~ erased_now ~ ")\n),\n\n"
      ~ "candidates as (\n"
      ~ "    select * from " ~ staged ~ "\n"
      ~ "    where event_id is not null and event_id_hash in (select reopened.event_id_hash from reopened)\n"
      ~ "    union all\n"
      ~ "    select * from " ~ staged ~ "\n"
      ~ "    where event_id is null and (load_batch_number > " ~ run.last_folded_batch ~ " or contact_id in ("
      ~ erased_now ~ "))\n)") -}}
{% endmacro %}

{#-
  The name of the view a delta run's judged candidates are cached in, on an
  engine that computes a CTE once per reference (Spark: int_events_judged reads
  `candidates` three times, and each would read the staged events five times);
  none where the CTE is enough.
-#}
{% macro judged_candidates_cache() %}
  {{- return(adapter.dispatch('judged_candidates_cache', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__judged_candidates_cache() %}
  {{- return(none) -}}
{% endmacro %}

{% macro spark__judged_candidates_cache() %}
  {{- return('int_events_judged__candidates') -}}
{% endmacro %}

{#-
  int_events_judged's pre-hook that computes its candidates once, into the
  session's cached view judged_candidates_cache(), in a delta run on an engine
  that has one (after the hook that deletes the kept rows: it reads the rows
  left). Its post-hook drops the view.
    relation: the model's table (this)
-#}
{% macro cache_judged_candidates(relation) %}
  {%- set cache = judged_candidates_cache() -%}
  {%- if cache is none or not execute or not is_incremental() or incremental_run().mode != 'delta' -%}
    {{ return('') }}
  {%- endif -%}
  {#- a view left by a failed run of the same session -#}
  {%- do run_query('drop view if exists ' ~ cache) -%}
  {{- return('cache table ' ~ cache ~ ' as with ' ~ judged_candidates_sql(incremental_run(), relation)
      ~ ' select * from candidates') -}}
{% endmacro %}
