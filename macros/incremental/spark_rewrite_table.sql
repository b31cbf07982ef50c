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
  {%- do spark_write_table(next, sql, partition_by, file_format) -%}
  {%- do run_query("drop table " ~ relation) -%}
  {%- do run_query("alter table " ~ next ~ " rename to " ~ relation) -%}
{% endmacro %}

{#-
  Writes the rows of `sql` to a new Spark table `relation`, dropping first a
  table of that name a stopped run may have left.
    relation:     the table to write
    sql:          a select of its rows
    partition_by: its partition columns, or none
    file_format:  its file format (a model's config)
-#}
{% macro spark_write_table(relation, sql, partition_by=none, file_format='parquet') %}
  {%- set partitions = [partition_by] if partition_by is string else partition_by -%}
  {%- do run_query("drop table if exists " ~ relation) -%}
  {%- do run_query("create table " ~ relation ~ " using " ~ file_format
      ~ (" partitioned by (" ~ partitions | join(', ') ~ ")" if partitions else "") ~ " as " ~ sql) -%}
{% endmacro %}
