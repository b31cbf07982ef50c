{#-
  Everything contact_segments and contact_segment_conditions need, compiled from
  the segment definitions in three steps: read and check the file
  (segment_definitions), order the segments so that each comes after those it
  references (segment_dependency_order), then render each rule to SQL
  (segment_rule_sql). Returns {segments, events, kinds, members, traits}: per segment (in
  declared order) its rule SQL, its membership (the rule, and sendability for an
  email audience) and the leaves of its rule; the event conditions, each counted
  once; and, for compiling parts of the rules, the type registry they were
  compiled with, each segment's member SQL by name, and the names of the traits
  (contact_traits) the rules may read.
-#}
{% macro segment_plan() %}
  {%- set segments = segment_definitions() -%}
  {%- set traits = trait_definitions() -%}
  {#- The type registry: each contact_features column's and trait's segment type, from its declared data_type. -#}
  {%- set kinds = segment_feature_kinds(traits) if execute else {} -%}
  {%- set by_name = {} -%}
  {%- for segment in segments -%}
    {%- do by_name.update({segment.name: segment}) -%}
  {%- endfor -%}
  {%- set members = {} -%}
  {%- set events = {} -%}
  {%- for name in segment_dependency_order(segments) -%}
    {%- set segment = by_name[name] -%}
    {%- set compiled = segment_rule_sql(segment.rule, name, members, kinds, 'rule') -%}
    {%- set member_sql = compiled.sql ~ (' and ' ~ email_audience_sql() if segment.email_audience
        else '') -%}
    {%- do segment.update({'rule_sql': compiled.sql, 'member_sql': member_sql, 'leaves': compiled.leaves}) -%}
    {%- do members.update({name: member_sql}) -%}
    {%- for event in compiled.events -%}
      {%- do events.update({event.alias: event}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return({'segments': segments, 'events': events.values() | sort(attribute='alias'), 'kinds': kinds,
             'members': members, 'traits': traits | map(attribute='name') | list}) }}
{% endmacro %}
