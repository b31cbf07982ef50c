{#-
  Compile one rule (or part of one) into a boolean SQL expression over the
  `base` relation of contact_segments. A rule is one of:
    {all: [rule, ...]}  {any: [rule, ...]}  {not: rule}
    {column: <contact_features column>, op: <operator>, value: <value>}
    {segment: <another segment's name>}
    {event: <event type>, min_count: N, within_days: D, where: [{property: P, op: O, value: V}, ...]}
  Each leaf is recorded in context.leaves (for the explain model) and each
  event condition in context.events (one pass over the events counts them all).
-#}
{% macro segment_rule_sql(rule, segment_name, context, path) %}
  {%- if rule is not mapping -%}
    {{ segment_error(segment_name, path ~ " must be a mapping with one of all, any, not, column, segment, event") }}
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
      {%- do parts.append(segment_rule_sql(item, segment_name, context,
          path ~ '.' ~ combinator ~ '[' ~ loop.index0 ~ ']')) -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(' and ' if combinator == 'all' else ' or ') ~ ')') }}
  {%- elif 'not' in rule -%}
    {%- if keys | length != 1 -%}
      {{ segment_error(segment_name, path ~ ".not must be the only key") }}
    {%- endif -%}
    {{ return('(not ' ~ segment_rule_sql(rule['not'], segment_name, context, path ~ '.not') ~ ')') }}
  {%- elif 'column' in rule -%}
    {%- for key in keys if key not in ['column', 'op', 'value'] -%}
      {{ segment_error(segment_name, path ~ " has unknown key '" ~ key ~ "'") }}
    {%- endfor -%}
    {%- set column = rule['column'] -%}
    {%- if column not in context.kinds -%}
      {{ segment_error(segment_name, path ~ " uses unknown column '" ~ column
          ~ "' (not a documented column of contact_features)") }}
    {%- endif -%}
    {%- set sql = segment_condition_sql('base.' ~ column, context.kinds[column], rule.get('op'), rule.get('value'),
        segment_name, path ~ " (" ~ column ~ ")") -%}
    {%- do context.leaves.append({'path': path, 'text': column ~ ' ' ~ rule.get('op')
        ~ ('' if rule.get('value') is none else ' ' ~ tojson(rule.get('value'))), 'sql': sql}) -%}
    {{ return(sql) }}
  {%- elif 'segment' in rule -%}
    {%- if keys | length != 1 -%}
      {{ segment_error(segment_name, path ~ ".segment must be the only key") }}
    {%- endif -%}
    {%- if rule['segment'] not in context.members -%}
      {{ segment_error(segment_name, path ~ " references unknown segment '" ~ rule['segment'] ~ "'") }}
    {%- endif -%}
    {%- set sql = '(' ~ context.members[rule['segment']] ~ ')' -%}
    {%- do context.leaves.append({'path': path, 'text': 'member of ' ~ rule['segment'], 'sql': sql}) -%}
    {{ return(sql) }}
  {%- elif 'event' in rule -%}
    {{ return(segment_event_sql(rule, segment_name, context, path)) }}
  {%- else -%}
    {{ segment_error(segment_name, path ~ " must have one of all, any, not, column, segment, event; got "
        ~ keys | join(', ')) }}
  {%- endif -%}
{% endmacro %}
