{#-
  What a segment rule may test: every documented column of contact_features,
  with the kind of value it holds (number, text, boolean, date, timestamp or
  list), read from the data_type in its YAML. The window columns depend on
  vars (engagement_windows, traffic_channel_days, interest_days) and are added
  by name.
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
    {%- for name in ['emails_delivered', 'emails_opened', 'emails_clicked', 'open_rate', 'click_rate',
                     'loyalty_points_earned', 'loyalty_points_redeemed'] -%}
      {%- do kinds.update({name ~ '_' ~ days ~ 'd': 'number'}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- do kinds.update({'top_channel_' ~ var('traffic_channel_days') ~ 'd': 'text'}) -%}
  {%- set interest = '_' ~ var('interest_days') ~ 'd' -%}
  {%- do kinds.update({'visited_channels' ~ interest: 'list', 'top_viewed_category' ~ interest: 'text',
                       'viewed_categories' ~ interest: 'list', 'top_visited_path' ~ interest: 'text',
                       'recent_search_terms' ~ interest: 'list'}) -%}
  {{ return(kinds) }}
{% endmacro %}
