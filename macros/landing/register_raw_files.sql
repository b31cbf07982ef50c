{#-
  When `raw_data_path` is set, register every landing table found in that folder
  as a view in the `raw_files` schema, which the marketing source then points at
  (on-run-start). A table is one file, <table>.parquet or <table>.csv (Parquet
  wins when both exist), or a folder <table>/ of files, searched recursively
  (hive-style subfolders are fine), each file one load batch (docs/landing.md).
  Every view carries the file of each row (_file) and its row number in the
  file (_file_row). CSV is read as text so that staging, not the reader,
  decides what a bad value is, file by file (read_csv_files), with its
  unreadable lines as rows of their own (_unreadable_line). Where each table was found is recorded
  in raw_files._landing for stg_marketing__load_batches. An optional table (all
  but contacts and events) that is not there becomes an empty view; a missing
  required one stops the run with its name.
-#}
{% macro register_raw_files() %}
  {{ return(adapter.dispatch('register_raw_files', 'contact_segmentation')()) }}
{% endmacro %}

{% macro default__register_raw_files() %}
  {% if var('raw_data_path', '') %}
    {{ exceptions.raise_compiler_error(
        "raw_data_path is only supported on DuckDB and Spark; on " ~ target.type ~
        " load the raw tables into a schema and set raw_schema instead.") }}
  {% endif %}
  {{ return('') }}
{% endmacro %}

{% macro duckdb__register_raw_files() %}
  {% set folder = var('raw_data_path', '') %}
  {% if not folder or not execute %}
    {{ return('') }}
  {% endif %}
  {% set folder = folder.rstrip('/') %}
  {#- Before the views: reading the CSV headers and unreadable lines needs these now. -#}
  {% do run_query("create schema if not exists raw_files;"
      ~ " create table if not exists raw_files._csv_files (file varchar, file_size bigint, modified_at timestamp,"
      ~ " readable_rows bigint);"
      ~ " create table if not exists raw_files._csv_unreadable_lines (file varchar, line bigint, error_type varchar,"
      ~ " raw_text varchar)") %}
  {% set statements = [
      'create or replace table raw_files._landing (table_name varchar, file_format varchar, file_pattern varchar)'
  ] %}
  {% for table in landing_tables() %}
    {% set layout = landing_layout(folder, table) %}
    {% if layout is none and not landing_table_is_required(table) %}
      {% set columns = [] %}
      {% for name in landing_contract(table) %}
        {% do columns.append("cast(null as varchar) as " ~ adapter.quote(name)) %}
      {% endfor %}
      {% do statements.append("create or replace view raw_files." ~ table ~ " as select " ~ columns | join(', ')
          ~ " where false") %}
    {% elif layout is none %}
      {{ exceptions.raise_compiler_error(
          "raw_data_path '" ~ folder ~ "' holds neither " ~ table ~ ".parquet, " ~ table ~ ".csv nor a folder "
          ~ table ~ "/ of such files") }}
    {% else %}
      {% do statements.append("create or replace view raw_files." ~ table ~ " as " ~ read_landed_files(table, layout)) %}
      {% do statements.append("insert into raw_files._landing values ('" ~ table ~ "', '" ~ layout.format ~ "', '"
          ~ layout.pattern ~ "')") %}
    {% endif %}
  {% endfor %}
  {{ return(statements | join(';\n')) }}
{% endmacro %}

{#- Where a landing table's files are: {format, pattern}, or none when there are none. -#}
{% macro landing_layout(folder, table) %}
  {%- set candidates = [
      ('parquet', folder ~ '/' ~ table ~ '.parquet'),
      ('csv', folder ~ '/' ~ table ~ '.csv'),
      ('parquet', folder ~ '/' ~ table ~ '/**/*.parquet'),
      ('csv', folder ~ '/' ~ table ~ '/**/*.csv'),
  ] -%}
  {%- set found = [] -%}
  {%- for format, pattern in candidates -%}
    {%- if run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] > 0 -%}
      {%- do found.append({'format': format, 'pattern': pattern}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set in_folder = [] -%}
  {%- for layout in found if '/**/' in layout.pattern -%}
    {%- do in_folder.append(layout) -%}
  {%- endfor -%}
  {#- A file of another kind in a table's folder would be silently skipped: say so instead. -#}
  {%- set strangers = run_query("select file from glob('" ~ folder ~ "/" ~ table ~ "/**/*') where not regexp_matches("
      ~ "file, '(^|/)[._][^/]*$') and not regexp_matches(lower(file), '\\.(csv|parquet)$') order by file limit 1") -%}
  {%- if strangers | length > 0 -%}
    {{ exceptions.raise_compiler_error("raw_data_path/" ~ strangers[0][0] | replace(folder ~ '/', '')
        ~ ": unknown file format (a landing table's folder holds .csv or .parquet files)") }}
  {%- endif -%}
  {%- if in_folder | length > 1 -%}
    {{ exceptions.raise_compiler_error("raw_data_path '" ~ folder ~ "': the folder " ~ table
        ~ "/ holds both Parquet and CSV files; keep one format per table") }}
  {%- endif -%}
  {{ return(found[0] if found else none) }}
{% endmacro %}

{#- The select over every file of a layout, with each row's file and row number. -#}
{% macro read_landed_files(table, layout) %}
  {%- if layout.format == 'parquet' -%}
    {{- return("select * exclude (filename, file_row_number), filename as _file, file_row_number + 1 as _file_row"
        ~ " from read_parquet('" ~ layout.pattern ~ "', filename = true, file_row_number = true,"
        ~ " union_by_name = true, hive_partitioning = false)") -}}
  {%- else -%}
    {{- return(read_csv_files(table, layout.pattern)) -}}
  {%- endif -%}
{% endmacro %}

{#-
  Spark: the same, as tables over the files (CSV read as text, in the RFC 4180
  dialect). Spark cannot look for a file before reading it, so the format is
  named: csv unless `raw_files_format` says parquet, and every table, fx_rates
  included, must be there.
-#}
{% macro spark__register_raw_files() %}
  {% set folder = var('raw_data_path', '') %}
  {% if not folder or not execute %}
    {{ return('') }}
  {% endif %}
  {% set folder = folder.rstrip('/') %}
  {% set format = var('raw_files_format') %}
  {% do run_query('create schema if not exists raw_files') %}
  {% for table in landing_tables() %}
    {% do run_query('drop table if exists raw_files.' ~ table) %}
    {% if format == 'parquet' %}
      {% do run_query("create table raw_files." ~ table ~ " using parquet options (path '"
                      ~ folder ~ "/" ~ table ~ ".parquet')") %}
    {% else %}
      {% do run_query("create table raw_files." ~ table ~ " using csv options (path '" ~ folder ~ "/" ~ table
                      ~ ".csv', header 'true', quote '\"', escape '\"', multiLine 'true', inferSchema 'false')") %}
    {% endif %}
  {% endfor %}
  {{ return('') }}
{% endmacro %}
