{#-
  A habit: `{event: ..., where: [...], in_periods: {k: K, of: N, period: week |
  month}}` holds when a matching event happened in at least K of the last N
  whole periods (docs/segments.md "Habits"). A period is whole when it has ended
  by the end of as_of, so on the last day of a month that month counts; weeks
  start on Monday. Returns {sql, leaves, events}; the number of periods is one
  column of the single pass over the events (kind `periods`).
-#}
{% macro segment_habit_sql(rule, segment_name, path) %}
  {%- for key in rule if key not in ['event', 'where', 'in_periods'] -%}
    {{ segment_error(segment_name, path ~ " has unknown key '" ~ key ~ "' (a habit takes event, where, in_periods)") }}
  {%- endfor -%}
  {%- set match = segment_event_filter(rule, segment_name, path) -%}
  {%- set habit = rule['in_periods'] -%}
  {%- set message = path ~ ".in_periods must be {k: K, of: N, period: week or month}, whole numbers with 1 <= K <= N" -%}
  {%- if habit is not mapping or habit.keys() | sort != ['k', 'of', 'period'] or habit.period not in ['week', 'month'] -%}
    {{ segment_error(segment_name, message) }}
  {%- endif -%}
  {%- for bound in [habit.k, habit.of] -%}
    {%- if bound is not number or bound is sameas true or bound is sameas false or bound != bound | int or bound < 1 -%}
      {{ segment_error(segment_name, message) }}
    {%- endif -%}
  {%- endfor -%}
  {%- if habit.k > habit.of -%}
    {{ segment_error(segment_name, message) }}
  {%- endif -%}
  {%- set bounds = period_bounds(habit.period, habit.of | int) -%}
  {%- set filters = match.filters + ["occurred_at >= cast('" ~ bounds.start ~ " 00:00:00' as timestamp)",
                                     "occurred_at < cast('" ~ bounds.stop ~ " 00:00:00' as timestamp)"] -%}
  {%- set alias = 'event_periods_' ~ local_md5(habit.period ~ ':' ~ filters | join(' and '))[:12] -%}
  {%- set sql = '(base.' ~ alias ~ ' >= ' ~ habit.k ~ ')' -%}
  {%- set words = match.text ~ ' in at least ' ~ habit.k ~ ' of the last ' ~ habit.of ~ ' whole ' ~ habit.period
      ~ 's' -%}
  {{ return({'sql': sql, 'leaves': [{'path': path, 'text': words, 'sql': sql}],
             'events': [{'alias': alias, 'kind': 'periods', 'sql': filters | join(' and '),
                         'period': dbt.date_trunc(habit.period, 'occurred_at'), 'event_type': rule['event']}]}) }}
{% endmacro %}
