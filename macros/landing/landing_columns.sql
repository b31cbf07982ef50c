{#-
  The columns a landing table arrived with: {name: data type} of its source
  relation, lower-cased, without the loader's own (_file, _file_row, _unreadable_line). Empty
  while dbt parses; a table that is not there yet reads as its contract, all
  text. With warn (the staging models), a contract column that is missing is
  treated as empty with a warning naming the table and the column; a column
  outside the contract is ignored with a warning (docs/landing.md).
-#}
{% macro landing_columns(table, warn=false) %}
  {%- if not execute -%}
    {{ return({}) }}
  {%- endif -%}
  {%- set relation = landing_relation(table) -%}
  {%- set contract = landing_contract(table) -%}
  {%- if not relation_exists(relation) -%}
    {#- Not landed yet (a warehouse never built: compile, docs, lint): the contract, as text. -#}
    {%- set found = {} -%}
    {%- for name in contract -%}
      {%- do found.update({name: 'varchar'}) -%}
    {%- endfor -%}
    {{ return(found) }}
  {%- endif -%}
  {%- set found = {} -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}
    {%- do found.update({column.name | lower: column.data_type | lower}) -%}
  {%- endfor -%}
  {%- for name, spec in contract.items() if name not in found -%}
    {%- if spec.required -%}
      {{ exceptions.raise_compiler_error(relation ~ ": no column " ~ name ~ " (columns found: "
          ~ (found.keys() | reject('in', ['_file', '_file_row', '_unreadable_line']) | join(', ') or 'none') ~ ")") }}
    {%- endif -%}
    {%- if warn -%}
      {%- do exceptions.warn(relation ~ ": no column " ~ name ~ "; it is treated as empty") -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set loader = ['_file', '_file_row', '_unreadable_line', var('raw_loaded_at_column', none)] -%}
  {%- for name in found if warn and name not in contract and name not in loader -%}
    {%- do exceptions.warn(relation ~ ": column " ~ name ~ " is not in the landing contract and is ignored") -%}
  {%- endfor -%}
  {{ return(found) }}
{% endmacro %}
