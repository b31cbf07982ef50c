{#-
  SQL for one comparison `<expression> <op> <value>` on a value of `kind`, never
  null (a comparison with null is false). Checks that the operator suits the kind.
-#}
{% macro segment_condition_sql(expression, kind, op, value, segment_name, path) %}
  {%- set ops = {
      'number': ['=', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'between', 'is null', 'is not null'],
      'date': ['=', '!=', '<', '<=', '>', '>=', 'between', 'is null', 'is not null'],
      'timestamp': ['=', '!=', '<', '<=', '>', '>=', 'between', 'is null', 'is not null'],
      'text': ['=', '!=', 'in', 'not in', 'is null', 'is not null'],
      'boolean': ['=', '!=', 'is null', 'is not null'],
      'list': ['contains', 'is null', 'is not null'],
  } -%}
  {%- if op not in ops[kind] -%}
    {{ segment_error(segment_name, path ~ " uses operator '" ~ op ~ "', which a " ~ kind
        ~ " column does not take; use one of " ~ ops[kind] | join(', ')) }}
  {%- endif -%}
  {%- set is_list = value is iterable and value is not string and value is not mapping -%}
  {%- if op in ['is null', 'is not null'] -%}
    {%- if value is not none -%}
      {{ segment_error(segment_name, path ~ " takes no value with '" ~ op ~ "'") }}
    {%- endif -%}
    {{ return('(' ~ expression ~ ' ' ~ op ~ ')') }}
  {%- elif op in ['in', 'not in'] -%}
    {%- if not is_list or value | length == 0 -%}
      {{ segment_error(segment_name, path ~ " needs a non-empty list of values with '" ~ op ~ "'") }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for item in value -%}
      {%- do literals.append(segment_literal(item, kind, segment_name, path)) -%}
    {%- endfor -%}
    {{ return('coalesce(' ~ expression ~ ' ' ~ op ~ ' (' ~ literals | join(', ') ~ '), false)') }}
  {%- elif op == 'between' -%}
    {%- if not is_list or value | length != 2 -%}
      {{ segment_error(segment_name, path ~ " needs [low, high] with 'between'") }}
    {%- endif -%}
    {{ return('coalesce(' ~ expression ~ ' between ' ~ segment_literal(value[0], kind, segment_name, path)
        ~ ' and ' ~ segment_literal(value[1], kind, segment_name, path) ~ ', false)') }}
  {%- elif op == 'contains' -%}
    {{ return('coalesce(' ~ array_contains(expression, segment_literal(value, 'text', segment_name, path))
        ~ ', false)') }}
  {%- else -%}
    {{ return('coalesce(' ~ expression ~ ' ' ~ op ~ ' ' ~ segment_literal(value, kind, segment_name, path)
        ~ ', false)') }}
  {%- endif -%}
{% endmacro %}
