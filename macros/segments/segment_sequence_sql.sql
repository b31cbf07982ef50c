{#-
  A sequence: `{sequence: [step, ...], within_days: D | between_days: [m, n],
  min_count: N}` (docs/segments.md "Sequences"). A step is an event condition
  `{event, where}` or a negated one `{not: {event, where}}`, with optionally
  `then_within_hours: H` or `then_within_days: D` (the time allowed after the
  previous step, its end included). Steps match in order of occurred_at; a step
  may share its predecessor's moment, never its event. A negated step holds when
  no such event follows the last positive step in its time (ever after, without
  one). The first step is positive and starts in the window; 2 to 5 steps.
  min_count counts the first-step events that start a completed sequence.
  Returns {sql, leaves, events} with one relation (kind `sequence`).
-#}
{% macro segment_sequence_sql(rule, segment_name, path) %}
  {%- for key in rule if key not in ['sequence', 'within_days', 'between_days', 'min_count'] -%}
    {{ segment_error(segment_name, path ~ " has unknown key '" ~ key
        ~ "' (a sequence takes sequence, within_days, between_days, min_count)") }}
  {%- endfor -%}
  {%- set items = rule['sequence'] -%}
  {%- if items is string or items is mapping or items is not iterable or items | length < 2 or items | length > 5 -%}
    {{ segment_error(segment_name, path ~ ".sequence must be a list of 2 to 5 steps") }}
  {%- endif -%}
  {%- set min_count = segment_min_count(rule, segment_name, path) -%}
  {%- set window = segment_event_window(rule, segment_name, path) -%}
  {%- set steps = [] -%}
  {%- set texts = [] -%}
  {%- for item in items -%}
    {%- set step_path = path ~ '.sequence[' ~ loop.index0 ~ ']' -%}
    {%- set negated = item is mapping and 'not' in item -%}
    {%- set event = item['not'] if negated else item -%}
    {%- if item is not mapping or event is not mapping -%}
      {{ segment_error(segment_name, step_path ~ " must be {event, where} or {not: {event, where}}") }}
    {%- endif -%}
    {%- for key in item if key not in ['not', 'event', 'where', 'then_within_hours', 'then_within_days']
        or (negated and key in ['event', 'where']) -%}
      {{ segment_error(segment_name, step_path ~ " has unknown key '" ~ key ~ "'") }}
    {%- endfor -%}
    {%- for key in event if negated and key not in ['event', 'where'] -%}
      {{ segment_error(segment_name, step_path ~ ".not has unknown key '" ~ key ~ "' (it takes event, where)") }}
    {%- endfor -%}
    {%- if negated and loop.first -%}
      {{ segment_error(segment_name, step_path ~ " cannot be negated: a sequence starts with an event") }}
    {%- endif -%}
    {%- set hours = segment_step_hours(item, segment_name, step_path) -%}
    {%- if hours is not none and loop.first -%}
      {{ segment_error(segment_name, step_path ~ " is the first step; its time is the sequence's window") }}
    {%- endif -%}
    {%- set match = segment_event_filter(event, segment_name, step_path ~ ('.not' if negated else '')) -%}
    {%- do steps.append({'filters': match.filters, 'negated': negated, 'hours': hours}) -%}
    {%- do texts.append(('no ' if negated else '') ~ match.text
        ~ (' within ' ~ hours ~ ' hours' if hours is not none else '')) -%}
  {%- endfor -%}
  {%- set key = tojson(steps) ~ ':' ~ window.filters | join(' and ') -%}
  {%- set alias = 'event_sequence_' ~ local_md5(key)[:12] -%}
  {%- set sql = '(base.' ~ alias ~ ' >= ' ~ min_count ~ ')' -%}
  {%- set words = texts | join(', then ') ~ ', at least ' ~ min_count ~ 'x, starting ' ~ window.text -%}
  {{ return({'sql': sql, 'leaves': [{'path': path, 'text': words, 'sql': sql}],
             'events': [{'alias': alias, 'kind': 'sequence', 'steps': steps, 'window': window.filters,
                         'start': window.start, 'event_type': none}]}) }}
{% endmacro %}
