{#-
  What one event matches, shared by every leaf that reads events (event, habit,
  return, each step of a sequence): its type, and every `where` property filter.
  Machine opens never count as email_opened. Returns {filters, text, where_text}:
  the SQL conditions on an event row, and the words for the explain model (the
  whole condition, and its filters alone).
-#}
{% macro segment_event_filter(rule, segment_name, path) %}
  {%- set properties = segment_event_properties() -%}
  {%- if rule.get('event') not in var('event_types') -%}
    {{ segment_error(segment_name, path ~ " uses unknown event type '" ~ rule.get('event') ~ "'") }}
  {%- endif -%}
  {%- set filters = ["event_type = '" ~ rule['event'] ~ "'"] -%}
  {%- if rule['event'] == 'email_opened' -%}
    {%- do filters.append('not is_machine_open') -%}
  {%- endif -%}
  {%- set texts = [] -%}
  {%- set where = rule.get('where', []) -%}
  {%- if where is string or where is mapping or where is not iterable -%}
    {{ segment_error(segment_name, path ~ ".where must be a list of property conditions") }}
  {%- endif -%}
  {%- for condition in where -%}
    {%- set where_path = path ~ '.where[' ~ loop.index0 ~ ']' -%}
    {%- if condition is not mapping or (execute and condition.get('property') not in properties) -%}
      {{ segment_error(segment_name, where_path ~ " needs a property, one of " ~ properties.keys() | join(', ')) }}
    {%- endif -%}
    {%- set column = 'revenue_reporting' if condition['property'] == 'revenue' else condition['property'] -%}
    {%- do filters.append(segment_condition_sql(column, properties.get(condition['property'], 'text'), condition.get('op'),
        condition.get('value'), segment_name, where_path)) -%}
    {%- do texts.append(condition['property'] ~ ' ' ~ condition.get('op') ~ ' ' ~ tojson(condition.get('value'))) -%}
  {%- endfor -%}
  {%- set where_text = ' where ' ~ texts | join(' and ') if texts else '' -%}
  {{ return({'filters': filters, 'text': rule['event'] ~ where_text, 'where_text': where_text}) }}
{% endmacro %}
