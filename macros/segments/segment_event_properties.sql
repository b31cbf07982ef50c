{#-
  The event properties an event condition may filter on, each with its type
  for the segment compiler (text or number): the optional text and number
  columns of the events landing contract, by their staged names. Empty while
  dbt parses (the contract is read from the graph).
-#}
{% macro segment_event_properties() %}
  {%- set types = {'text': 'text', 'code': 'text', 'upper_code': 'text', 'integer': 'number', 'decimal': 'number'} -%}
  {%- set properties = {} -%}
  {%- for spec in landing_contract('events').values() if not spec.required and spec.kind in types -%}
    {%- do properties.update({spec.staged_as: types[spec.kind]}) -%}
  {%- endfor -%}
  {{ return(properties) }}
{% endmacro %}
