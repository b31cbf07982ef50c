{#- docs/time.md: whole days from the date of `timestamp_expression` to as_of (0 on the as_of day). -#}
{% macro days_since(timestamp_expression) %}
  {{- dbt.datediff("cast(" ~ timestamp_expression ~ " as date)", as_of_date_sql(), "day") -}}
{% endmacro %}
