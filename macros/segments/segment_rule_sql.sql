{#-
  Compile one rule (or part of one) into a boolean SQL expression over the
  `base` relation of contact_segments. A rule is one of:
    {all: [rule, ...]}  {any: [rule, ...]}  {not: rule}
    {column: <contact_features column>, op: <operator>, value: <value>}
    {segment: <another segment's name>}
    {event: <event type>, min_count: N, within_days: D | between_days: [M, N], where: [...]}
    {event: ..., where: [...], in_periods: {k: K, of: N, period: week | month}}   (a habit)
    {event: ..., returned_after_days: G, within_days: D, ...}                    (a return)
    {sequence: [step, ...], within_days: D, min_count: N}                        (a sequence)
  Returns {sql, leaves, events}: the expression, the leaf conditions it holds
  (for the explain model) and the event conditions it counts (one pass over the
  events counts them all). Nothing is shared or changed: `members` (the member
  SQL of the segments compiled before) and `kinds` (the column types) are read only.
-#}
{% macro segment_rule_sql(rule, segment_name, members, kinds, path) %}
  {%- if rule is not mapping -%}
    {{ segment_error(segment_name, path ~ " must be a mapping with one of all, any, not, column, segment, event, sequence") }}
  {%- endif -%}
  {%- set keys = rule.keys() | list -%}
  {%- if 'all' in rule or 'any' in rule -%}
    {%- set combinator = 'all' if 'all' in rule else 'any' -%}
    {%- set items = rule[combinator] -%}
    {%- if keys | length != 1 or items is string or items is mapping or items is not iterable or not items -%}
      {{ segment_error(segment_name, path ~ "." ~ combinator ~ " must be the only key and hold a non-empty list") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for item in items -%}
      {%- do parts.append(segment_rule_sql(item, segment_name, members, kinds,
          path ~ '.' ~ combinator ~ '[' ~ loop.index0 ~ ']')) -%}
    {%- endfor -%}
    {{ return(segment_compiled('(' ~ parts | map(attribute='sql') | join(' and ' if combinator == 'all' else ' or ')
        ~ ')', parts)) }}
  {%- elif 'not' in rule -%}
    {%- if keys | length != 1 -%}
      {{ segment_error(segment_name, path ~ ".not must be the only key") }}
    {%- endif -%}
    {%- set inner = segment_rule_sql(rule['not'], segment_name, members, kinds, path ~ '.not') -%}
    {{ return(segment_compiled('(not ' ~ inner.sql ~ ')', [inner])) }}
  {%- elif 'column' in rule -%}
    {%- for key in keys if key not in ['column', 'op', 'value'] -%}
      {{ segment_error(segment_name, path ~ " has unknown key '" ~ key ~ "'") }}
    {%- endfor -%}
    {%- set column = rule['column'] -%}
    {%- if column not in kinds -%}
      {{ segment_error(segment_name, path ~ " uses unknown column '" ~ column
          ~ "' (not a documented column of contact_features)") }}
    {%- endif -%}
    {%- set sql = segment_condition_sql('base.' ~ column, kinds[column], rule.get('op'), rule.get('value'),
        segment_name, path ~ " (" ~ column ~ ")") -%}
    {%- set text = column ~ ' ' ~ rule.get('op') ~ ('' if rule.get('value') is none else ' ' ~ tojson(rule.get('value'))) -%}
    {{ return({'sql': sql, 'leaves': [{'path': path, 'text': text, 'sql': sql}], 'events': []}) }}
  {%- elif 'segment' in rule -%}
    {%- if keys | length != 1 -%}
      {{ segment_error(segment_name, path ~ ".segment must be the only key") }}
    {%- endif -%}
    {%- if rule['segment'] not in members -%}
      {{ segment_error(segment_name, path ~ " references unknown segment '" ~ rule['segment'] ~ "'") }}
    {%- endif -%}
    {%- set sql = '(' ~ members[rule['segment']] ~ ')' -%}
    {{ return({'sql': sql, 'leaves': [{'path': path, 'text': 'member of ' ~ rule['segment'], 'sql': sql}],
               'events': []}) }}
  {%- elif 'sequence' in rule -%}
    {{ return(segment_sequence_sql(rule, segment_name, path)) }}
  {%- elif 'event' in rule and 'in_periods' in rule -%}
    {{ return(segment_habit_sql(rule, segment_name, path)) }}
  {%- elif 'event' in rule and 'returned_after_days' in rule -%}
    {{ return(segment_return_sql(rule, segment_name, path)) }}
  {%- elif 'event' in rule -%}
    {{ return(segment_event_sql(rule, segment_name, path)) }}
  {%- else -%}
    {{ segment_error(segment_name, path ~ " must have one of all, any, not, column, segment, event, sequence; got "
        ~ keys | join(', ')) }}
  {%- endif -%}
{% endmacro %}
