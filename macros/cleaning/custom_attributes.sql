{#-
  The custom_attributes var, validated: a list of {name, type} with snake_case
  names and one of the five attribute types of docs/landing.md. A mistake fails compilation
  with the offending entry.
-#}
{% macro custom_attributes() %}
  {%- set attributes = var('custom_attributes', []) -%}
  {%- set types = ['number', 'text', 'boolean', 'one_of', 'many_of'] -%}
  {%- set seen = [] -%}
  {%- for attribute in attributes -%}
    {%- if attribute is not mapping or attribute.get('name') is none or attribute.get('type') not in types -%}
      {{ exceptions.raise_compiler_error("custom_attributes: each entry needs a name and a type in "
          ~ types ~ ", got " ~ attribute) }}
    {%- endif -%}
    {%- if not modules.re.match('^[a-z][a-z0-9_]*$', attribute['name']) or attribute['name'] in seen -%}
      {{ exceptions.raise_compiler_error("custom_attributes: '" ~ attribute['name']
          ~ "' must be a unique snake_case name") }}
    {%- endif -%}
    {%- do seen.append(attribute['name']) -%}
  {%- endfor -%}
  {{ return(attributes) }}
{% endmacro %}
