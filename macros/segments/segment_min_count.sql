{#- A leaf's `min_count` (default 1), checked to be a whole number of at least 1. -#}
{% macro segment_min_count(rule, segment_name, path) %}
  {%- set min_count = rule.get('min_count', 1) -%}
  {%- if min_count is not number or min_count is sameas true or min_count < 1 or min_count != min_count | int -%}
    {{ segment_error(segment_name, path ~ ".min_count must be a whole number of at least 1") }}
  {%- endif -%}
  {{ return(min_count | int) }}
{% endmacro %}
