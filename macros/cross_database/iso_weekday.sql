{#- The ISO weekday of a date or timestamp: 1 = Monday ... 7 = Sunday. -#}
{% macro iso_weekday(expression) %}
  {{- return(adapter.dispatch('iso_weekday', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__iso_weekday(expression) %}
  {{- "cast(extract(isodow from " ~ expression ~ ") as " ~ dbt.type_int() ~ ")" -}}
{% endmacro %}

{% macro spark__iso_weekday(expression) %}
  {#- dayofweek: 1 = Sunday ... 7 = Saturday. -#}
  {{- "(((dayofweek(" ~ expression ~ ") + 5) % 7) + 1)" -}}
{% endmacro %}
