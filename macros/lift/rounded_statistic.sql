{#-
  A rate, lift, bound or p-value as the lift marts report it: decimal(18, 6),
  rounded to 6 places, so that every engine shows the same digits and a reader (or a
  unit test) compares exact values. `expression`: SQL of the double. Cast to a
  decimal before round(): PostgreSQL rounds to a number of places only numerics.
-#}
{% macro rounded_statistic(expression) %}
  {{- 'cast(round(cast(' ~ expression ~ ' as decimal(38, 12)), 6) as decimal(18, 6))' -}}
{% endmacro %}
