{#-
  The relation of one landing table: the marketing source. With the demo seeds
  (no raw_data_path, no raw_schema) the source is the seed's table, and the
  seed is referenced too, so that `dbt build` loads it before staging reads it.
  The staging models are the only callers.
-#}
{% macro landing_relation(table) %}
  {%- if not var('raw_data_path', '') and var('raw_schema', none) is none -%}
    {%- do ref(table) -%}
  {%- endif -%}
  {{ return(source('marketing', table)) }}
{% endmacro %}
