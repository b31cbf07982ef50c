{#-
  The last `count` whole periods (`week`, Monday first, or `month`) as of
  as_of: {start, stop} as ISO dates, stop excluded. A period is whole when it
  has ended by the end of as_of, so stop is the first day of the period that
  holds the day after as_of.
-#}
{% macro period_bounds(period, count) %}
  {%- set next_day = as_of_date() + modules.datetime.timedelta(days=1) -%}
  {%- if period == 'week' -%}
    {%- set stop = next_day - modules.datetime.timedelta(days=next_day.weekday()) -%}
    {%- set start = stop - modules.datetime.timedelta(days=7 * count) -%}
  {%- else -%}
    {%- set stop = next_day.replace(day=1) -%}
    {%- set months = stop.year * 12 + stop.month - 1 - count -%}
    {%- set start = stop.replace(year=months // 12, month=months % 12 + 1) -%}
  {%- endif -%}
  {{ return({'start': start.isoformat(), 'stop': stop.isoformat()}) }}
{% endmacro %}
