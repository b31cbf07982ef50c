{#- The start of the trailing window of `days` days that ends with the as_of day (docs/time.md). -#}
{% macro window_start_sql(days) %}
  {%- set start = as_of_date() + modules.datetime.timedelta(days=1 - (days | int)) -%}
  {{- "cast('" ~ start.isoformat() ~ " 00:00:00' as timestamp)" -}}
{% endmacro %}
