{#- The largest `expression` over the rows of the group where `condition` holds (null if none). -#}
{% macro max_where(expression, condition) %}
  {{- "max(case when " ~ condition ~ " then " ~ expression ~ " end)" -}}
{% endmacro %}
