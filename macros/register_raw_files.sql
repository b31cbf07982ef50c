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
