{#- An 8-byte floating point type (type_double() is 4 bytes on DuckDB). -#}
{% macro type_double() %}
  {{- return(adapter.dispatch('type_double', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__type_double() %}
  {{- 'double precision' -}}
{% endmacro %}

{% macro duckdb__type_double() %}
  {{- 'double' -}}
{% endmacro %}

{% macro spark__type_double() %}
  {{- 'double' -}}
{% endmacro %}
