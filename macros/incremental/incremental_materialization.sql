{#-
  The materialization of the load-batch, admission and state models:
  incremental where the engine can delete and merge rows in a table in place.
  Spark's plain Parquet tables cannot delete rows, so there these models are
  rebuilt whole on every run, which keeps every result the same
  (docs/incremental.md "Engines").
-#}
{% macro incremental_materialization() %}
  {{- return(adapter.dispatch('incremental_materialization', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__incremental_materialization() %}
  {{- return('incremental') -}}
{% endmacro %}

{% macro spark__incremental_materialization() %}
  {{- return('table') -}}
{% endmacro %}
