{#-
  The incremental strategies of the state models on Spark, where dbt-spark
  knows only append, merge (Delta, Iceberg, Hudi), insert_overwrite and
  microbatch: these two overrides of dbt-spark's own macros add ours, done by
  rewriting the table (spark_rewrite_table), and leave the others to dbt-spark.
    state_merge:   the held rows whose key the new rows carry are replaced by
                   them (get_incremental_state_merge_sql elsewhere); the new
                   rows are written to <table>__new first, then dropped
    state_replace: the new rows replace the table
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
  {%- if raw_strategy in ('state_merge', 'state_replace') -%}
    {{ return(raw_strategy) }}
  {%- endif -%}
  {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
  {%- if strategy not in ('state_merge', 'state_replace') -%}
    {{ return(dbt.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key,
        incremental_predicates)) }}
  {%- endif -%}
  {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set rows = "select " ~ columns | join(', ') ~ " from " ~ source -%}
  {%- if strategy == 'state_merge' -%}
    {#- The merge reads the new rows twice, and Spark would run the model's query for each read (its cache
        keeps no query with a CTE): they are written once first, to <table>__new. -#}
    {%- set source = target.incorporate(path={'identifier': target.identifier ~ '__new'}) -%}
    {%- do spark_write_table(source, rows, none, file_format) -%}
    {%- set rows = "select " ~ columns | join(', ') ~ " from " ~ source -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set matches, held_columns = [], [] -%}
    {%- for key in keys -%}
      {%- do matches.append("held." ~ key ~ " <=> source." ~ key) -%}
    {%- endfor -%}
    {%- for column in columns -%}
      {%- do held_columns.append("held." ~ column) -%}
    {%- endfor -%}
    {%- set rows = "select " ~ held_columns | join(', ') ~ " from " ~ target ~ " as held left anti join " ~ source
        ~ " as source on " ~ matches | join(' and ') ~ " union all " ~ rows -%}
  {%- endif -%}
  {%- do spark_rewrite_table(target, rows, config.get('partition_by'), file_format) -%}
  {%- if strategy == 'state_merge' -%}
    {%- do run_query("drop table " ~ source) -%}
  {%- endif -%}
  {#- the statement dbt-spark runs as the model's own: the work is done -#}
  {{ return("select 1") }}
{% endmacro %}
