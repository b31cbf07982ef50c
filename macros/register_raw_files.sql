{#-
  When `raw_data_path` is set, register every landing table found in that folder
  as a view in the `raw_files` schema, which the sources then point at. Parquet
  wins over CSV when both exist. CSV is read as text so that staging, not the
  reader, decides what a bad value is. The optional fx_rates table becomes an
  empty view when absent; any other missing table stops the run with its name.
-#}
{% macro register_raw_files() %}
  {{ return(adapter.dispatch('register_raw_files', 'contact_segmentation')()) }}
{% endmacro %}

{% macro default__register_raw_files() %}
  {% if var('raw_data_path', '') %}
    {{ exceptions.raise_compiler_error(
        "raw_data_path is only supported on DuckDB; on " ~ target.type ~
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
  {% set statements = ['create schema if not exists raw_files'] %}
  {% for table in raw_tables() %}
    {% set lookup = namespace(found=none) %}
    {% for ext in ['parquet', 'csv'] %}
      {% set path = folder ~ '/' ~ table ~ '.' ~ ext %}
      {% if lookup.found is none
            and run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] > 0 %}
        {% set lookup.found = path %}
      {% endif %}
    {% endfor %}
    {% set found = lookup.found %}
    {% if found is none and table == 'fx_rates' %}
      {% do statements.append(
          "create or replace view raw_files.fx_rates as select cast(null as varchar) as currency,"
          ~ " cast(null as varchar) as rate_to_reporting where false") %}
    {% elif found is none %}
      {{ exceptions.raise_compiler_error(
          "raw_data_path '" ~ folder ~ "' holds neither " ~ table ~ ".parquet nor " ~ table ~ ".csv") }}
    {% elif found.endswith('.csv') %}
      {% do statements.append("create or replace view raw_files." ~ table ~ " as select * from read_csv('"
          ~ found ~ "', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')") %}
    {% else %}
      {% do statements.append("create or replace view raw_files." ~ table ~ " as select * from read_parquet('"
          ~ found ~ "')") %}
    {% endif %}
  {% endfor %}
  {{ return(statements | join(';\n')) }}
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
  {% for table in raw_tables() %}
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
