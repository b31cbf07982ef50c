{#-
  Everything contact_segments and contact_segment_conditions need, compiled from
  the segment definitions: per segment (in declared order) its rule, its
  membership (the rule, and sendability for an email audience) and the leaves
  of its rule; and the event conditions, counted in one pass over the events.
-#}
{% macro segment_plan() %}
  {%- set segments = segment_definitions() -%}
  {%- set context = {'kinds': segment_feature_kinds() if execute else {}, 'members': {}, 'events': [],
                     'leaves': []} -%}
  {%- set by_name = {} -%}
  {%- for segment in segments -%}
    {%- do by_name.update({segment.name: segment}) -%}
  {%- endfor -%}
  {%- for name in segment_dependency_order(segments) -%}
    {%- set segment = by_name[name] -%}
    {%- set leaves_before = context.leaves | length -%}
    {%- set rule_sql = segment_rule_sql(segment.rule, name, context, 'rule') -%}
    {%- set member_sql = rule_sql ~ (' and coalesce(base.is_email_sendable, false)' if segment.email_audience else '') -%}
    {%- do segment.update({'rule_sql': rule_sql, 'member_sql': member_sql,
                           'leaves': context.leaves[leaves_before:]}) -%}
    {%- do context.members.update({name: member_sql}) -%}
  {%- endfor -%}
  {{ return({'segments': segments, 'events': context.events}) }}
{% endmacro %}
