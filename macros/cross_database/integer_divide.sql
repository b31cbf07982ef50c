{#- Exact integer division of non-negative integers (floor), for tie-safe scores. -#}
{% macro integer_divide(numerator, denominator) %}
  {{- return(adapter.dispatch('integer_divide', 'contact_segmentation')(numerator, denominator)) -}}
{% endmacro %}

{% macro default__integer_divide(numerator, denominator) %}
  {{- "cast(floor((" ~ numerator ~ ") / (" ~ denominator ~ ")) as " ~ dbt.type_bigint() ~ ")" -}}
{% endmacro %}

{% macro duckdb__integer_divide(numerator, denominator) %}
  {{- "((" ~ numerator ~ ") // (" ~ denominator ~ "))" -}}
{% endmacro %}

{% macro spark__integer_divide(numerator, denominator) %}
  {{- "((" ~ numerator ~ ") div (" ~ denominator ~ "))" -}}
{% endmacro %}
