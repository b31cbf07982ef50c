{#-
  The partition columns of the staged events: on Spark the load batch, so that
  each batch's rows are one Parquet partition, the unit a daily run adds and a
  replaced batch drops; none on engines without table partitions of this kind
  (DuckDB, PostgreSQL). The judged events are not partitioned: a Spark daily run
  rewrites that table, and would write a file per batch.
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
