{#-
  A draft segment for segments preview, compiled by the mart's own
  compiler (segment_plan, segment_rule_sql, segment_base_ctes) and printed as one
  line, `segment_preview: {json}`: the SQL of one row per contact (is_rule_met,
  is_member, is_email_sendable, leaf_<i> per leaf condition and step_<i> per
  step of its funnel, segment_funnel_steps), the leaves, the steps and whether
  it reads events. The draft may reference the file's segments (not
  itself); a mistake stops it with the message dbt build would give.
-#}
{% macro segment_preview(rule, segment_name='draft', email_audience=true, features_relation='contact_features',
                         events_relation='int_events_resolved', traits_relation='contact_traits') %}
  {%- if email_audience is not sameas true and email_audience is not sameas false -%}
    {{ segment_error(segment_name, "email_audience must be true or false") }}
  {%- endif -%}
  {%- set plan = segment_plan() -%}
  {%- set members = {} -%}
  {%- for segment in plan.segments if segment.name != segment_name -%}
    {%- do members.update({segment.name: segment.member_sql}) -%}
  {%- endfor -%}
  {%- set compiled = segment_rule_sql(rule, segment_name, members, plan.kinds, 'rule') -%}
  {%- set member_sql = compiled.sql ~ (' and ' ~ email_audience_sql() if email_audience else '') -%}
  {#- Event counts the draft reads: its own and those of the segments it references. -#}
  {%- set events = {} -%}
  {%- for event in compiled.events | list + plan.events | list if event.alias in member_sql -%}
    {%- do events.update({event.alias: event}) -%}
  {%- endfor -%}
  {%- set draft = {'segments': [], 'events': events.values() | sort(attribute='alias'), 'traits': plan.traits} -%}
  {%- set columns = ['base.contact_id', 'coalesce(base.is_email_sendable, false) as is_email_sendable',
                     'coalesce(' ~ compiled.sql ~ ', false) as is_rule_met',
                     'coalesce(' ~ member_sql ~ ', false) as is_member'] -%}
  {%- for leaf in compiled.leaves -%}
    {%- do columns.append('coalesce(' ~ leaf.sql ~ ', false) as leaf_' ~ loop.index0) -%}
  {%- endfor -%}
  {#- The size after each condition: the funnel segment_funnels has for a segment of the file. -#}
  {%- set steps = segment_funnel_steps({'name': segment_name, 'rule': rule, 'email_audience': email_audience,
                                        'rule_sql': compiled.sql, 'member_sql': member_sql}, members,
                                       plan.kinds) -%}
  {%- for step in steps -%}
    {%- do columns.append('coalesce(' ~ step.sql ~ ', false) as step_' ~ loop.index0) -%}
  {%- endfor -%}
  {%- set sql = 'with ' ~ segment_base_ctes(draft, features_relation, events_relation, traits_relation)
      ~ ' select ' ~ columns | join(', ') ~ ' from base' -%}
  {%- set leaves = [] -%}
  {%- for leaf in compiled.leaves -%}
    {%- do leaves.append({'path': leaf.path, 'text': leaf.text}) -%}
  {%- endfor -%}
  {%- set step_labels = [] -%}
  {%- for step in steps -%}
    {%- do step_labels.append({'path': step.path, 'text': step.text}) -%}
  {%- endfor -%}
  {{ print('segment_preview: ' ~ tojson({'sql': sql, 'leaves': leaves, 'steps': step_labels,
                                         'reads_events': events | length > 0})) }}
{% endmacro %}
