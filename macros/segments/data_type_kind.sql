{#-
  The segment type of a documented column from its data_type: list, boolean,
  timestamp, date, number or text; none for a column without one.
-#}
{% macro data_type_kind(data_type) %}
  {%- set data_type = (data_type or '') | lower -%}
  {%- if data_type.endswith('[]') or data_type.startswith('array') or data_type.startswith('list') -%}
    {{ return('list') }}
  {%- elif data_type.startswith('bool') -%}
    {{ return('boolean') }}
  {%- elif data_type.startswith('timestamp') -%}
    {{ return('timestamp') }}
  {%- elif data_type == 'date' -%}
    {{ return('date') }}
  {%- elif data_type.split('(')[0] in ['integer', 'int', 'bigint', 'smallint', 'decimal', 'numeric', 'double',
                                        'float', 'real', 'hugeint'] -%}
    {{ return('number') }}
  {%- elif data_type -%}
    {{ return('text') }}
  {%- endif -%}
  {{ return(none) }}
{% endmacro %}
