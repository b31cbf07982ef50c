{#-
  The raw rows of one landing table that staging reads in this run: the rows of
  its batches registered in stg_marketing__load_batches and not yet staged in
  `staged` (the staging model itself; none when it is built from scratch), with
  load_batch_number and batch_row_number (the row's position in its file or
  batch, from 1). The filter on the file lets DuckDB skip every other file.
-#}
{% macro landed_rows_sql(table, staged) %}
  {%- set relation = landing_relation(table) -%}
  {%- set batches = batches_to_stage(table, staged) -%}
  {%- if not batches -%}
    {{ return("select *, cast(null as " ~ dbt.type_int() ~ ") as load_batch_number, cast(null as "
        ~ dbt.type_bigint() ~ ") as batch_row_number from " ~ relation ~ " where false") }}
  {%- endif -%}
  {%- set columns = landing_columns(table) -%}
  {%- set loaded_at = var('raw_loaded_at_column', none) -%}
  {%- if batches[0].is_whole_table -%}
    {%- set key = none -%}
  {%- elif '_file' in columns -%}
    {%- set key = '_file' -%}
  {%- elif loaded_at and loaded_at | lower in columns -%}
    {%- set key = "cast(" ~ adapter.quote(loaded_at) ~ " as " ~ dbt.type_string() ~ ")" -%}
  {%- else -%}
    {%- set key = none -%}
  {%- endif -%}
  {%- set filter = 'true' if key is none else key ~ " in ('" ~ batches | map(attribute='value')
      | map('replace', "'", "''") | join("', '") ~ "')" -%}
  {%- set batch_key = key or "'" ~ table ~ "'" -%}
  {%- if '_file_row' in columns -%}
    {%- set row_number = '_file_row' -%}
  {%- else -%}
    {#- CSV files and tables have no row number of their own: rows are numbered as they are read. -#}
    {%- set row_number = read_order_row_number(columns) -%}
  {%- endif -%}
  {%- set rows = "select *, " ~ batch_key ~ " as _batch_key, " ~ row_number ~ " as _row_in_read from " ~ relation
      ~ " where " ~ filter -%}
  {%- set values = [] -%}
  {%- for batch in batches -%}
    {%- do values.append("('" ~ batch.value | replace("'", "''") ~ "', " ~ batch.number ~ ")") -%}
  {%- endfor -%}
  {#- A join, not a case: a case over hundreds of files costs a comparison per file and row. -#}
  {%- set numbered = "select landed.*, batches.load_batch_number from (" ~ rows ~ ") as landed inner join (values "
      ~ values | join(', ') ~ ") as batches (batch_value, load_batch_number) on landed._batch_key = batches.batch_value" -%}
  {%- if '_file_row' in columns -%}
    {{ return("select *, _row_in_read as batch_row_number from (" ~ numbered ~ ") as numbered") }}
  {%- endif -%}
  {{ return(batch_row_number_sql(numbered, columns)) }}
{% endmacro %}

{#-
  A row number in the order rows are read (_row_in_read), where the engine has
  one: DuckDB reads files and tables in order (CSV files in name order, each
  from its first line), so this is each row's position. Engines that promise no
  order have none here: batch_row_number_sql numbers their rows by value.
-#}
{% macro read_order_row_number(columns) %}
  {{- return(adapter.dispatch('read_order_row_number', 'contact_segmentation')(columns)) -}}
{% endmacro %}

{% macro default__read_order_row_number(columns) %}
  {{- "cast(null as " ~ dbt.type_bigint() ~ ")" -}}
{% endmacro %}

{% macro duckdb__read_order_row_number(columns) %}
  {{- "row_number() over ()" -}}
{% endmacro %}

{#-
  The select adding batch_row_number to `numbered` (rows with load_batch_number
  and _row_in_read), for rows without a position in their file: on DuckDB their
  read order within the batch; elsewhere their order by value within the batch,
  one window per batch (a window over all rows would sort them in one place).
-#}
{% macro batch_row_number_sql(numbered, columns) %}
  {{- return(adapter.dispatch('batch_row_number_sql', 'contact_segmentation')(numbered, columns)) -}}
{% endmacro %}

{% macro default__batch_row_number_sql(numbered, columns) %}
  {%- set quoted = [] -%}
  {%- for name in columns | sort -%}
    {%- do quoted.append(adapter.quote(name)) -%}
  {%- endfor -%}
  {{- return("select *, row_number() over (partition by load_batch_number order by " ~ quoted | join(', ')
      ~ ") as batch_row_number from (" ~ numbered ~ ") as numbered") -}}
{% endmacro %}

{% macro duckdb__batch_row_number_sql(numbered, columns) %}
  {{- return("select *, _row_in_read - min(_row_in_read) over (partition by load_batch_number) + 1"
      ~ " as batch_row_number from (" ~ numbered ~ ") as numbered") -}}
{% endmacro %}

{#- [{number, value, is_whole_table}] of the batches of `table` to stage now, in batch number order. -#}
{% macro batches_to_stage(table, staged) %}
  {%- set manifest = ref('stg_marketing__load_batches') -%}
  {%- if not relation_exists(manifest) -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set after = "(select coalesce(max(load_batch_number), 0) from " ~ staged ~ ")" if staged is not none else "0" -%}
  {%- set rows = run_query("select load_batch_number, batch_value, is_whole_table from " ~ manifest
      ~ " where not is_removed and raw_table = '" ~ table
      ~ "' and load_batch_number > " ~ after ~ " and load_batch_number not in (" ~ superseded_batches_sql()
      ~ ") order by load_batch_number") -%}
  {%- set batches = [] -%}
  {%- for row in rows -%}
    {%- do batches.append({'number': row[0], 'value': row[1], 'is_whole_table': row[2]}) -%}
  {%- endfor -%}
  {{ return(batches) }}
{% endmacro %}
