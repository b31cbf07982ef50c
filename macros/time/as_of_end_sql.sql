{#- The exclusive end of the as_of day as a SQL timestamp literal: events strictly before it count. -#}
{% macro as_of_end_sql() %}
  {%- set end = as_of_date() + modules.datetime.timedelta(days=1) -%}
  {{- "cast('" ~ end.isoformat() ~ " 00:00:00' as timestamp)" -}}
{% endmacro %}
