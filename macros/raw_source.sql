{#-
  The relation of one landing table. In demo mode (no raw_data_path, no
  raw_schema) it is the demo seed, referenced with ref() so that `dbt build`
  loads the seed before the staging models that read it; otherwise it is the
  declared source. Staging models are the only callers.
-#}
{% macro raw_source(table) %}
  {% if var('raw_data_path', '') or var('raw_schema', none) %}
    {{ return(source('marketing', table)) }}
  {% else %}
    {{ return(ref(table)) }}
  {% endif %}
{% endmacro %}
