{#-
  The partition columns of the event-level tables (staged, judged and dropped
  events): on Spark the load batch, so that each batch's rows are one Parquet
  partition, the unit a daily run adds; none on engines without table partitions
  of this kind (DuckDB, PostgreSQL).
-#}
{% macro load_batch_partitions() %}
  {{- return(adapter.dispatch('load_batch_partitions', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__load_batch_partitions() %}
  {{- return(none) -}}
{% endmacro %}

{% macro spark__load_batch_partitions() %}
  {{- return(['load_batch_number']) -}}
{% endmacro %}
