{#- SQL ranking a raw table name by its place in landing_tables(), for a stable batch order. -#}
{% macro landing_table_order(expression) %}
  {%- set whens = [] -%}
  {%- for table in landing_tables() -%}
    {%- do whens.append("when '" ~ table ~ "' then " ~ loop.index) -%}
  {%- endfor -%}
  {{- return("case " ~ expression ~ " " ~ whens | join(' ') ~ " end") -}}
{% endmacro %}
