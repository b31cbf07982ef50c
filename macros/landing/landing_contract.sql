{#-
  The landing contract of one raw table, read from the marketing source in
  _marketing__sources.yml: every column with the kind of value it holds
  (config.meta.kind: text, code, upper_code, email, timestamp, date, integer,
  decimal, rate, boolean), whether it is required, and the name staging gives
  it (config.meta.staged_as, else its own). Only available while models run.
-#}
{% macro landing_contract(table) %}
  {%- if not execute -%}
    {{ return({}) }}
  {%- endif -%}
  {%- set found = graph.sources.values() | selectattr('source_name', 'equalto', 'marketing')
                  | selectattr('name', 'equalto', table) | list -%}
  {%- if not found -%}
    {{ exceptions.raise_compiler_error("the marketing source declares no table " ~ table) }}
  {%- endif -%}
  {%- set columns = {} -%}
  {%- for column in found[0].columns.values() -%}
    {%- set meta = column.config.meta if column.config is defined and column.config.meta else column.meta -%}
    {%- do columns.update({column.name: {'kind': meta.get('kind', 'text'), 'required': meta.get('required', false),
                                         'staged_as': meta.get('staged_as', column.name)}}) -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}
