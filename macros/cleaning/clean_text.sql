{#- Source text as the models use it: trimmed, with empty strings as null. -#}
{% macro clean_text(expression) %}
  {{- "nullif(trim(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")), '')" -}}
{% endmacro %}
