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
  The table a delta run's judged candidates are written to first, on an engine
  that computes a CTE once per reference (Spark: int_events_judged reads
  `candidates` three times, each reading the staged events five times, and
  Spark's CACHE TABLE caches no query with a CTE); none where the CTE is enough.
    relation: the model's table (this)
-#}
{% macro judged_candidates_table(relation) %}
  {{- return(adapter.dispatch('judged_candidates_table', 'contact_segmentation')(relation)) -}}
{% endmacro %}

{% macro default__judged_candidates_table(relation) %}
  {{- return(none) -}}
{% endmacro %}

{% macro spark__judged_candidates_table(relation) %}
  {{- return(relation.incorporate(path={'identifier': relation.identifier ~ '__candidates'})) -}}
{% endmacro %}

{#-
  int_events_judged's pre-hook that writes its candidates once, to
  judged_candidates_table(), in a delta run on an engine that has one (after
  the hook that deletes the kept rows: it reads the rows left). Every run first
  drops the table a stopped run may have left; the model's post-hook drops it.
    relation: the model's table (this)
-#}
{% macro write_judged_candidates(relation) %}
  {%- set table = judged_candidates_table(relation) -%}
  {%- if table is none or not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set run = incremental_run() -%}
  {%- if is_incremental() and run.mode == 'delta' -%}
    {%- do spark_write_table(table, 'with ' ~ judged_candidates_sql(run, relation) ~ ' select * from candidates',
        none, config.get('file_format') or 'parquet') -%}
  {%- else -%}
    {%- do run_query('drop table if exists ' ~ table) -%}
  {%- endif -%}
  {{ return('') }}
{% endmacro %}
