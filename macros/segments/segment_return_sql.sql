{#-
  A return: `{event: ..., returned_after_days: G, where: [...], within_days: D |
  between_days: [m, n], min_count: N}` holds when at least N moments in the
  window are returns: a matching event whose latest earlier matching event
  (strictly earlier, at any time) is at least G days (G x 24 hours) before it.
  A first-ever event is not a return: there was no absence to come back from.
  Events at the same moment are one moment. Returns {sql, leaves, events}; the
  count is its own relation over the events (kind `return`, segment_relation_ctes).
-#}
{% macro segment_return_sql(rule, segment_name, path) %}
  {%- set allowed = ['event', 'where', 'returned_after_days', 'within_days', 'between_days', 'min_count'] -%}
  {%- for key in rule if key not in allowed -%}
    {{ segment_error(segment_name, path ~ " has unknown key '" ~ key ~ "' (a return takes "
        ~ allowed | join(', ') ~ ")") }}
  {%- endfor -%}
  {%- set gap = rule['returned_after_days'] -%}
  {%- if gap is not number or gap is sameas true or gap is sameas false or gap != gap | int or gap < 1 -%}
    {{ segment_error(segment_name, path ~ ".returned_after_days must be a whole number of at least 1") }}
  {%- endif -%}
  {%- set match = segment_event_filter(rule, segment_name, path) -%}
  {%- set min_count = segment_min_count(rule, segment_name, path) -%}
  {%- set window = segment_event_window(rule, segment_name, path) -%}
  {%- set alias = 'event_returns_' ~ local_md5(gap ~ ':' ~ (match.filters + window.filters) | join(' and '))[:12] -%}
  {%- set sql = '(base.' ~ alias ~ ' >= ' ~ min_count ~ ')' -%}
  {%- set words = match.text ~ ' again after at least ' ~ gap ~ ' days without, at least ' ~ min_count ~ 'x '
      ~ window.text -%}
  {{ return({'sql': sql, 'leaves': [{'path': path, 'text': words, 'sql': sql}],
             'events': [{'alias': alias, 'kind': 'return', 'sql': match.filters | join(' and '),
                         'window': window.filters, 'gap_days': gap | int, 'event_type': rule['event']}]}) }}
{% endmacro %}
