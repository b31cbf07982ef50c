{#- The as_of day as a SQL date literal. -#}
{% macro as_of_date_sql() %}
  {{- "cast('" ~ as_of_date().isoformat() ~ "' as date)" -}}
{% endmacro %}
