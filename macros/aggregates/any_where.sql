{#- Portable "any row matched" aggregate: true when `condition` holds on some row of the group. -#}
{% macro any_where(condition) %}
  {{- "coalesce(max(case when " ~ condition ~ " then 1 else 0 end), 0) = 1" -}}
{% endmacro %}
