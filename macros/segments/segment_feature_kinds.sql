{#-
  What a segment rule may test: every documented column of contact_features,
  with the kind of value it holds (number, text, boolean, date, timestamp or
  list), read from the data_type in its YAML. The engagement window columns
  depend on the engagement_windows var and are added by name.
-#}
{% macro segment_feature_kinds() %}
  {%- set kinds = {} -%}
  {%- set nodes = graph.nodes.values() | selectattr('name', 'equalto', 'contact_features') | list -%}
  {%- for column in (nodes[0].columns.values() if nodes else []) -%}
    {%- set data_type = (column.data_type or '') | lower -%}
    {%- if data_type.endswith('[]') or data_type.startswith('array') or data_type.startswith('list') -%}
      {%- do kinds.update({column.name: 'list'}) -%}
    {%- elif data_type.startswith('bool') -%}
      {%- do kinds.update({column.name: 'boolean'}) -%}
    {%- elif data_type.startswith('timestamp') -%}
      {%- do kinds.update({column.name: 'timestamp'}) -%}
    {%- elif data_type == 'date' -%}
      {%- do kinds.update({column.name: 'date'}) -%}
    {%- elif data_type.split('(')[0] in ['integer', 'int', 'bigint', 'smallint', 'decimal', 'numeric', 'double',
                                          'float', 'real', 'hugeint'] -%}
      {%- do kinds.update({column.name: 'number'}) -%}
    {%- elif data_type -%}
      {%- do kinds.update({column.name: 'text'}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for days in var('engagement_windows') -%}
    {%- for name in ['emails_delivered', 'emails_opened', 'emails_clicked', 'open_rate', 'click_rate'] -%}
      {%- do kinds.update({name ~ '_' ~ days ~ 'd': 'number'}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return(kinds) }}
{% endmacro %}
