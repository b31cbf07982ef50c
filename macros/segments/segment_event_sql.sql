{#-
  An event condition: "did <event> at least min_count times (default 1) in the
  last within_days days (default: ever, up to as_of), or between between_days
  [m, n] days before as_of (m <= days_since <= n - 1), where every property
  filter holds" (docs/segments.md). Returns {sql, leaves, events} as
  segment_rule_sql does; the count is one column of the single pass over the
  events (kind `count`). Properties are event columns; revenue is in the
  reporting currency.
-#}
{% macro segment_event_sql(rule, segment_name, path) %}
  {%- for key in rule if key not in ['event', 'min_count', 'within_days', 'between_days', 'where'] -%}
    {{ segment_error(segment_name, path ~ " has unknown key '" ~ key ~ "'") }}
  {%- endfor -%}
  {%- set match = segment_event_filter(rule, segment_name, path) -%}
  {%- set min_count = segment_min_count(rule, segment_name, path) -%}
  {%- set window = segment_event_window(rule, segment_name, path) -%}
  {%- set filters = match.filters + window.filters -%}
  {#- Named after what it counts: the same condition in two segments is counted once. -#}
  {%- set alias = 'event_match_' ~ local_md5(filters | join(' and '))[:12] -%}
  {%- set sql = '(base.' ~ alias ~ ' >= ' ~ min_count ~ ')' -%}
  {%- set words = rule['event'] ~ ' at least ' ~ min_count ~ 'x ' ~ window.text
      ~ match.where_text -%}
  {{ return({'sql': sql, 'leaves': [{'path': path, 'text': words, 'sql': sql}],
             'events': [{'alias': alias, 'kind': 'count', 'sql': filters | join(' and '),
                         'event_type': rule['event']}]}) }}
{% endmacro %}
