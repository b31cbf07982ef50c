{#-
  The materialization of the load-batch, admission and state models:
  incremental where the engine can delete and merge rows in a table in place.
  Spark's plain Parquet tables cannot delete rows, so there these models are
  rebuilt whole on every run, which keeps every result the same
  (docs/incremental.md "Engines"), except the two that only ever add batches
  (`appends_batches`): the load-batch manifest and the staged events, which
  Spark appends to as well and whose replaced batches it drops by partition
  (drop_superseded_batches).
-#}
{% macro incremental_materialization(appends_batches=false) %}
  {{- return(adapter.dispatch('incremental_materialization', 'contact_segmentation')(appends_batches)) -}}
{% endmacro %}

{% macro default__incremental_materialization(appends_batches) %}
  {{- return('incremental') -}}
{% endmacro %}

{% macro spark__incremental_materialization(appends_batches) %}
  {{- return('incremental' if appends_batches else 'table') -}}
{% endmacro %}
