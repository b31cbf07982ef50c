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
  {#- The folder is part of every pattern DuckDB globs; a file's own name is escaped (file_literal). -#}
  {% if modules.re.search("[\\[*?']", folder) %}
    {{ exceptions.raise_compiler_error("raw_data_path '" ~ folder ~ "': a folder whose path holds [, *, ? or '"
        ~ " is not supported (DuckDB reads the path as a glob pattern); move the files to another folder") }}
  {% endif %}
  {#- Before the views: reading the CSV headers and unreadable lines needs these now. -#}
  {% do run_query("create schema if not exists raw_files;"
      ~ " create table if not exists raw_files._csv_files (file varchar, file_size bigint, modified_at timestamp,"
      ~ " readable_rows bigint, header_line varchar);"
      ~ " alter table raw_files._csv_files add column if not exists header_line varchar;"
      ~ " alter table raw_files._csv_files add column if not exists physical_lines bigint;"
      ~ " alter table raw_files._csv_files add column if not exists blank_lines bigint;"
      ~ " alter table raw_files._csv_files add column if not exists quoted_lines bigint;"
      ~ " alter table raw_files._csv_files add column if not exists read_path varchar;"
      ~ " create table if not exists raw_files._csv_unreadable_lines (file varchar, line bigint, error_type varchar,"
      ~ " raw_text varchar)") %}
  {% set statements = [
      'create or replace table raw_files._landing (table_name varchar, file_format varchar, file_pattern varchar)'
  ] %}
  {% set layouts = landing_layouts(folder) %}
  {% for table in landing_tables() %}
    {% set layout = layouts[table] %}
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

{#-
  Where each landing table's files are: {table: {format, pattern} or none}, from
  one query over the folder for every table (a run starts with it: one query,
  not five per table). A file of another kind in a table's folder, or both
  formats there, stops the run naming it.
-#}
{% macro landing_layouts(folder) %}
  {#- Each table's candidate layouts, in order of preference, named as the query's columns. -#}
  {%- set candidates = [
      ('parquet_file', 'parquet', '.parquet'),
      ('csv_file', 'csv', '.csv'),
      ('parquet_folder', 'parquet', '/**/*.parquet'),
      ('csv_folder', 'csv', '/**/*.csv'),
  ] -%}
  {%- set selects = [] -%}
  {%- for table in landing_tables() -%}
    {%- set counted = [] -%}
    {%- for name, format, suffix in candidates -%}
      {%- do counted.append("(select count(*) from glob('" ~ folder ~ "/" ~ table ~ suffix ~ "')) as " ~ name) -%}
    {%- endfor -%}
    {#- A file of another kind in the folder would be silently skipped: it is named instead. -#}
    {%- do selects.append("select " ~ loop.index ~ " as position, '" ~ table ~ "' as table_name, "
        ~ counted | join(', ') ~ ", (select min(file) from glob('" ~ folder ~ "/" ~ table ~ "/**/*')"
        ~ " where not regexp_matches(file, '(^|/)[._][^/]*$') and not regexp_matches(lower(file),"
        ~ " '\\.(csv|parquet)$')) as unknown_file") -%}
  {%- endfor -%}
  {%- set layouts = {} -%}
  {#- In landing_tables() order, so that the first table with a problem is the one named. -#}
  {%- for row in run_query(selects | join(' union all ') ~ " order by position") -%}
    {%- set table = row['table_name'] -%}
    {%- if row['unknown_file'] is not none -%}
      {{ exceptions.raise_compiler_error("raw_data_path/" ~ row['unknown_file'] | replace(folder ~ '/', '')
          ~ ": unknown file format (a landing table's folder holds .csv or .parquet files)") }}
    {%- endif -%}
    {%- if row['parquet_folder'] > 0 and row['csv_folder'] > 0 -%}
      {{ exceptions.raise_compiler_error("raw_data_path '" ~ folder ~ "': the folder " ~ table
          ~ "/ holds both Parquet and CSV files; keep one format per table") }}
    {%- endif -%}
    {%- set found = [] -%}
    {%- for name, format, suffix in candidates if row[name] > 0 -%}
      {%- do found.append({'format': format, 'pattern': folder ~ '/' ~ table ~ suffix}) -%}
    {%- endfor -%}
    {%- do layouts.update({table: found[0] if found else none}) -%}
  {%- endfor -%}
  {{ return(layouts) }}
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
  Spark: the same, as tables over the files and views over them. Spark cannot
  glob, so the files are listed once per run with the binaryFile source
  (raw_files._files; contents are read only for checksums) into
  raw_files._listing (path, length, modificationTime), and each table's layout
  is found in that list. CSV is read as text in the RFC 4180 dialect; every
  file of a folder must have the same header (enforceSchema off: Spark stops
  naming the file otherwise). Unreadable lines are not kept apart on Spark
  (docs/landing.md "Unreadable lines and unusable files").
-#}
{% macro spark__register_raw_files() %}
  {% set folder = var('raw_data_path', '') %}
  {% if not folder or not execute %}
    {{ return('') }}
  {% endif %}
  {% set folder = folder.rstrip('/') %}
  {% do run_query('create schema if not exists raw_files') %}
  {% do run_query('drop table if exists raw_files._files') %}
  {% do run_query("create table raw_files._files using binaryFile options (path '" ~ folder
      ~ "', recursiveFileLookup 'true')") %}
  {#- Listed once per run: every query of the run then reads this small table, not the folder. -#}
  {% do run_query('drop table if exists raw_files._listing') %}
  {% do run_query('create table raw_files._listing using parquet as select path, length, modificationTime'
      ~ ' from raw_files._files') %}
  {#- The folder as Spark names its files (file:/absolute/path): the listing table's location. -#}
  {% set root = [] %}
  {% for name, value, _ in run_query('describe table extended raw_files._files') if name | trim == 'Location' %}
    {% do root.append(value | trim) %}
  {% endfor %}
  {% set root = root[0] %}
  {% set paths = run_query('select path from raw_files._listing order by path').columns[0].values() %}
  {% set landed = [] %}
  {% for table in landing_tables() %}
    {% set layout = spark_landing_layout(root, table, paths) %}
    {% do run_query('drop view if exists raw_files.' ~ table) %}
    {% do run_query('drop table if exists raw_files._' ~ table ~ '_files') %}
    {% if layout is none and not landing_table_is_required(table) %}
      {% set columns = [] %}
      {% for name in landing_contract(table) %}
        {% do columns.append("cast(null as string) as " ~ adapter.quote(name)) %}
      {% endfor %}
      {% do run_query("create view raw_files." ~ table ~ " as select " ~ columns | join(', ') ~ " where false") %}
    {% elif layout is none %}
      {{ exceptions.raise_compiler_error(
          "raw_data_path '" ~ folder ~ "' holds neither " ~ table ~ ".parquet, " ~ table ~ ".csv nor a folder "
          ~ table ~ "/ of such files") }}
    {% else %}
      {% set files = 'raw_files._' ~ table ~ '_files' %}
      {% set options = "path '" ~ layout.location ~ "'" ~ (", recursiveFileLookup 'true', pathGlobFilter '*."
          ~ layout.format ~ "'" if layout.is_folder else '') %}
      {% if layout.format == 'parquet' %}
        {% do run_query("create table " ~ files ~ " using parquet options (" ~ options ~ ")") %}
        {% set row_in_file = ", _metadata.row_index + 1 as _file_row" %}
      {% else %}
        {% do run_query("create table " ~ files ~ " using csv options (" ~ options ~ ", header 'true', quote '\"',"
            ~ " escape '\"', multiLine 'true', inferSchema 'false', enforceSchema 'false')") %}
        {% set row_in_file = "" %}
      {% endif %}
      {% do run_query("create view raw_files." ~ table ~ " as select *, _metadata.file_path as _file" ~ row_in_file
          ~ " from " ~ files) %}
      {% do landed.append("('" ~ table ~ "', '" ~ layout.format ~ "', '" ~ layout.pattern ~ "')") %}
    {% endif %}
  {% endfor %}
  {#- One write for every table: each statement is a Spark job. -#}
  {% do run_query('drop table if exists raw_files._landing') %}
  {% do run_query('create table raw_files._landing using parquet as select * from values ' ~ landed | join(', ')
      ~ ' as landed (table_name, file_format, file_pattern)') %}
  {{ return('') }}
{% endmacro %}

{#-
  Spark's landing_layouts, for one table: {format, pattern, location, is_folder} of a table
  among the listed `paths` under `root`, or none. The pattern is written as
  DuckDB's glob would be (root/table/**/*.csv), for landed_files_sql.
-#}
{% macro spark_landing_layout(root, table, paths) %}
  {%- set in_folder = {'csv': [], 'parquet': [], 'other': []} -%}
  {%- set prefix = root ~ '/' ~ table ~ '/' -%}
  {%- for path in paths if path.startswith(prefix) -%}
    {%- set extension = path.rsplit('.', 1)[-1] | lower -%}
    {%- do in_folder[extension if extension in ('csv', 'parquet') else 'other'].append(path) -%}
  {%- endfor -%}
  {%- if in_folder.other -%}
    {{ exceptions.raise_compiler_error("raw_data_path/" ~ in_folder.other[0] | replace(root ~ '/', '')
        ~ ": unknown file format (a landing table's folder holds .csv or .parquet files)") }}
  {%- endif -%}
  {%- if in_folder.csv and in_folder.parquet -%}
    {{ exceptions.raise_compiler_error("raw_data_path '" ~ root ~ "': the folder " ~ table
        ~ "/ holds both Parquet and CSV files; keep one format per table") }}
  {%- endif -%}
  {%- for format in ('parquet', 'csv') -%}
    {%- if root ~ '/' ~ table ~ '.' ~ format in paths -%}
      {{ return({'format': format, 'pattern': root ~ '/' ~ table ~ '.' ~ format,
                 'location': root ~ '/' ~ table ~ '.' ~ format, 'is_folder': false}) }}
    {%- endif -%}
  {%- endfor -%}
  {%- for format in ('parquet', 'csv') if in_folder[format] -%}
    {{ return({'format': format, 'pattern': prefix ~ '**/*.' ~ format, 'location': root ~ '/' ~ table,
               'is_folder': true}) }}
  {%- endfor -%}
  {{ return(none) }}
{% endmacro %}
