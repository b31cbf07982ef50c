{#-
  Deletes the rows of `relation` where `where` holds (every row when it is
  none), for the hooks of the incremental admission and state models (a
  model's hook: on Spark the table is rewritten in the model's config). Returns
  the SQL to run; on Spark it is done here and now and the SQL is empty.
    relation: the table
    where:    a SQL condition on its columns, or none for every row
-#}
{% macro delete_rows(relation, where=none) %}
  {{- return(adapter.dispatch('delete_rows', 'contact_segmentation')(relation, where)) -}}
{% endmacro %}

{% macro default__delete_rows(relation, where) %}
  {{- return("delete from " ~ relation ~ (" where " ~ where if where is not none else "")) -}}
{% endmacro %}

{#-
  Plain Spark Parquet tables cannot delete rows: every row is truncated, or
  the table is rewritten without the rows (spark_rewrite_table).
-#}
{% macro spark__delete_rows(relation, where) %}
  {%- if where is none -%}
    {%- do run_query("truncate table " ~ relation) -%}
  {%- else -%}
    {%- do spark_rewrite_table(relation, "select * from " ~ relation ~ " where not coalesce(" ~ where ~ ", false)",
        config.get('partition_by'), config.get('file_format') or 'parquet') -%}
  {%- endif -%}
  {{- return('') -}}
{% endmacro %}
