{#-
  What a segment rule may test: every documented column of contact_features
  and every trait of contact_traits (`traits`, from trait_definitions()), with
  the kind of value it holds (number, text, boolean, date, timestamp or list),
  read from the data_type in its YAML. The window columns depend on vars
  (engagement_windows, traffic_channel_days, interest_days) and are added by
  name.
-#}
{% macro segment_feature_kinds(traits) %}
  {%- set kinds = {} -%}
  {%- set nodes = graph.nodes.values() | selectattr('name', 'equalto', 'contact_features') | list -%}
  {%- for column in (nodes[0].columns.values() if nodes else []) -%}
    {%- set kind = data_type_kind(column.data_type) -%}
    {%- if kind is not none -%}
      {%- do kinds.update({column.name: kind}) -%}
    {%- endif -%}
  {%- endfor -%}
  {#- The traits of the traits file, each of its declared type (contact_traits). -#}
  {%- for trait in traits -%}
    {%- do kinds.update({trait.name: trait.kind}) -%}
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
