{#-
  docs/time.md "Contact-local time": the date of a birthday (month, day) in a
  year; 29 February falls on 28 February in common years. Null without a birthday.
-#}
{% macro birthday_in_year(year, month, day) %}
  {%- set is_leap = "((" ~ year ~ ") % 4 = 0 and ((" ~ year ~ ") % 100 != 0 or (" ~ year ~ ") % 400 = 0))" -%}
  {{- "make_date(" ~ year ~ ", " ~ month ~ ", case when " ~ month ~ " = 2 and " ~ day ~ " = 29 and not "
      ~ is_leap ~ " then 28 else " ~ day ~ " end)" -}}
{% endmacro %}
