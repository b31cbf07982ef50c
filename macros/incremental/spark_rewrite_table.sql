{#-
  Replaces a Spark table by the rows of `sql`, which may read the table itself
  (Spark refuses to overwrite a table that its query reads): the rows are
  written to `<table>__next` in the model's file format and partitioning, the
  table is dropped and the new one renamed to it. A run killed between the two
  leaves the table missing or a `__next` behind: the run commits no state, so
  the next one rebuilds it whole (and drops the leftover first).
    relation:     the table
    sql:          a select of its columns, in its column order
    partition_by: its partition columns (a model's config), or none
    file_format:  its file format (a model's config)
-#}
{% macro spark_rewrite_table(relation, sql, partition_by=none, file_format='parquet') %}
  {%- set next = relation.incorporate(path={'identifier': relation.identifier ~ '__next'}) -%}
  {%- set partitions = [partition_by] if partition_by is string else partition_by -%}
  {%- do run_query("drop table if exists " ~ next) -%}
  {%- do run_query("create table " ~ next ~ " using " ~ file_format
      ~ (" partitioned by (" ~ partitions | join(', ') ~ ")" if partitions else "") ~ " as " ~ sql) -%}
  {%- do run_query("drop table " ~ relation) -%}
  {%- do run_query("alter table " ~ next ~ " rename to " ~ relation) -%}
{% endmacro %}
