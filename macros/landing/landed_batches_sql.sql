{#-
  SQL listing the load batches every batch-tracked landing table holds now
  (docs/landing.md "Load batches"): one row per raw_table and batch_value.
    - a folder of files under raw_data_path: one batch per file, its size and
      modification time; a single file per table is a whole table (a full export,
      replaced as it is re-exported), read again on every run;
    - warehouse tables with the load-time column named by `raw_loaded_at_column`:
      one batch per load time, its row count;
    - any other table (warehouse tables without that column, the demo seeds): the
      whole table as one batch, read again on every run.
  Columns: raw_table, batch_value (what staging filters on), batch_name (shown to
  users), batch_size, batch_modified_at, is_whole_table.
-#}
{% macro landed_batches_sql() %}
  {%- set parts = [] -%}
  {%- set files = {} -%}
  {%- if execute and var('raw_data_path', '') and target.type in ('duckdb', 'spark') -%}
    {%- for row in run_query("select table_name, file_pattern from raw_files._landing") -%}
      {%- do files.update({row[0]: row[1]}) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set loaded_at = var('raw_loaded_at_column', none) -%}
  {%- for table in landing_tables() if not is_reference_table(table) -%}
    {%- set relation = landing_relation(table) -%}
    {%- set columns = landing_columns(table) if execute else {} -%}
    {%- if table in files -%}
      {%- set is_folder = '/**/' in files[table] -%}
      {#- The folder as the engine names files: what comes before the table's own file or folder. -#}
      {%- set folder = files[table][:files[table].rindex('/' ~ table) + 1] -%}
      {%- do parts.append("select '" ~ table ~ "' as raw_table, " ~ ("filename" if is_folder else "'" ~ table ~ "'")
          ~ " as batch_value, replace(filename, '" ~ folder ~ "', '') as batch_name, size as batch_size,"
          ~ " last_modified as batch_modified_at, " ~ (not is_folder) | string | lower
          ~ " as is_whole_table from (" ~ landed_files_sql(files[table]) ~ ") as files") -%}
    {%- elif loaded_at and loaded_at | lower in columns -%}
      {%- do parts.append("select '" ~ table ~ "' as raw_table, cast(" ~ adapter.quote(loaded_at) ~ " as "
          ~ dbt.type_string() ~ ") as batch_value, cast(" ~ adapter.quote(loaded_at) ~ " as " ~ dbt.type_string()
          ~ ") as batch_name, count(*) as batch_size, max(cast(" ~ adapter.quote(loaded_at) ~ " as "
          ~ dbt.type_timestamp() ~ ")) as batch_modified_at, false as is_whole_table from "
          ~ relation ~ " group by " ~ adapter.quote(loaded_at)) -%}
    {%- else -%}
      {%- do parts.append("select '" ~ table ~ "' as raw_table, '" ~ table ~ "' as batch_value, '" ~ table
          ~ "' as batch_name, count(*) as batch_size, cast(null as " ~ dbt.type_timestamp()
          ~ ") as batch_modified_at, true as is_whole_table from " ~ relation) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(parts | join('\nunion all\n')) }}
{% endmacro %}
