{#-
  base_marketing__events is incremental where rows can be deleted by key.
  Plain Spark tables (no Delta or Iceberg) cannot, so there it is rebuilt in
  full on every run: the same rows, at the cost of a full pass.
-#}
{% macro events_materialization() %}
  {{- return(adapter.dispatch('events_materialization', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__events_materialization() %}
  {{- return('incremental') -}}
{% endmacro %}

{% macro spark__events_materialization() %}
  {{- return('table') -}}
{% endmacro %}
