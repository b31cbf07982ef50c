{#-
  The funnel of a compiled segment (docs/segments.md "Funnels"): its steps in
  order, each {path, text, sql}. A rule that is an `all` gives one step per
  condition, compiled alone; any other rule is one step. An email audience
  ends with its membership (sendable, audience controls). `segment`: a
  segment of segment_plan(); `members`: each segment's member SQL, for
  references; `kinds`: segment_plan().kinds.
-#}
{% macro segment_funnel_steps(segment, members, kinds) %}
  {%- set steps = [] -%}
  {%- set rule = segment.rule -%}
  {%- if rule is mapping and rule.keys() | list == ['all'] -%}
    {%- for condition in rule['all'] -%}
      {%- set path = 'rule.all[' ~ loop.index0 ~ ']' -%}
      {%- set step = segment_rule_sql(condition, segment.name, members, kinds, path) -%}
      {%- set is_leaf = step.leaves | length == 1 and not (condition.keys() | select('in', ['all', 'any', 'not'])
                                                           | list) -%}
      {%- do steps.append({'path': path, 'text': step.leaves[0].text if is_leaf else tojson(condition),
                           'sql': step.sql}) -%}
    {%- endfor -%}
  {%- else -%}
    {%- do steps.append({'path': 'rule', 'text': 'the whole rule', 'sql': segment.rule_sql}) -%}
  {%- endif -%}
  {%- if segment.email_audience -%}
    {%- do steps.append({'path': 'membership', 'text': 'email-sendable, not held back by an audience control',
                         'sql': segment.member_sql}) -%}
  {%- endif -%}
  {{ return(steps) }}
{% endmacro %}
