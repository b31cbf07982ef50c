{#-
  The days an event leaf looks at, from its `within_days: D` (the last D days up
  to the end of as_of) or `between_days: [m, n]` (m <= days_since <= n - 1);
  neither: ever, up to as_of. Returns {filters, text, start}: the conditions on
  `column`, the words, and the window's first day in SQL (none for ever), which
  later steps of a sequence cannot precede.
-#}
{% macro segment_event_window(rule, segment_name, path, column='occurred_at') %}
  {%- set within = rule.get('within_days') -%}
  {%- if within is not none and (within is not number or within is sameas true or within < 1
                                 or within != within | int) -%}
    {{ segment_error(segment_name, path ~ ".within_days must be a whole number of at least 1") }}
  {%- endif -%}
  {%- set between = rule.get('between_days') -%}
  {%- if between is not none -%}
    {%- if within is not none -%}
      {{ segment_error(segment_name, path ~ " has both within_days and between_days; keep one") }}
    {%- endif -%}
    {%- set bounds_ok = between is iterable and between is not string and between is not mapping
        and between | length == 2 -%}
    {%- for bound in (between if bounds_ok else []) -%}
      {%- if bound is not number or bound is sameas true or bound is sameas false or bound != bound | int
          or bound < 0 -%}
        {{ segment_error(segment_name, path ~ ".between_days must be [m, n], whole numbers with 0 <= m < n") }}
      {%- endif -%}
    {%- endfor -%}
    {%- if not bounds_ok or between[0] >= between[1] -%}
      {{ segment_error(segment_name, path ~ ".between_days must be [m, n], whole numbers with 0 <= m < n") }}
    {%- endif -%}
  {%- endif -%}
  {%- if within is not none -%}
    {%- set start = window_start_sql(within) -%}
    {{ return({'filters': [column ~ ' >= ' ~ start], 'text': 'in the last ' ~ within ~ ' days', 'start': start}) }}
  {%- elif between is not none -%}
    {%- set start = window_start_sql(between[1]) -%}
    {{ return({'filters': [column ~ ' >= ' ~ start, column ~ ' < ' ~ window_start_sql(between[0])],
               'text': 'between ' ~ between[0] ~ ' and ' ~ between[1] ~ ' days ago', 'start': start}) }}
  {%- endif -%}
  {{ return({'filters': [], 'text': 'ever', 'start': none}) }}
{% endmacro %}
