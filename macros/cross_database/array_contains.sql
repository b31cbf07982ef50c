{#- True when the array `array_expression` holds `value_sql`; null when the array is null. -#}
{% macro array_contains(array_expression, value_sql) %}
  {{- return(adapter.dispatch('array_contains', 'contact_segmentation')(array_expression, value_sql)) -}}
{% endmacro %}

{% macro default__array_contains(array_expression, value_sql) %}
  {{- "(" ~ value_sql ~ " = any(" ~ array_expression ~ "))" -}}
{% endmacro %}

{% macro duckdb__array_contains(array_expression, value_sql) %}
  {{- "list_contains(" ~ array_expression ~ ", " ~ value_sql ~ ")" -}}
{% endmacro %}

{% macro spark__array_contains(array_expression, value_sql) %}
  {{- "array_contains(" ~ array_expression ~ ", " ~ value_sql ~ ")" -}}
{% endmacro %}
