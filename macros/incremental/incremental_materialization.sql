{#-
  The materialization of the load-batch, admission and state models:
  incremental, where each run adds to or rewrites what the model holds.
  Plain Spark Parquet tables cannot delete or merge rows in place: there the
  models that hold the per-contact state (`holds_state`: the run manifest,
  admission of events and erasure, the state and feature tables that fold a
  day in) are incremental all the same, their deletes and merges done by
  rewriting the table (delete_rows, the spark state_merge strategy); the two
  that only ever add batches (`appends_batches`: the load-batch manifest and
  the staged events) append, and drop a replaced batch's partition
  (drop_superseded_batches); the other staging models, small, are rebuilt
  whole on every run (docs/incremental.md "Engines").
-#}
{% macro incremental_materialization(appends_batches=false, holds_state=false) %}
  {{- return(adapter.dispatch('incremental_materialization', 'contact_segmentation')(appends_batches, holds_state)) -}}
{% endmacro %}

{% macro default__incremental_materialization(appends_batches, holds_state) %}
  {{- return('incremental') -}}
{% endmacro %}

{% macro spark__incremental_materialization(appends_batches, holds_state) %}
  {{- return('incremental' if appends_batches or holds_state else 'table') -}}
{% endmacro %}
