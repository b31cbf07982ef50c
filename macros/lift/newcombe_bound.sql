{#-
  A bound of Newcombe's hybrid score interval (1998, method 10) for the
  difference of two proportions p1 - p2, from each proportion's Wilson
  interval: lower d - sqrt((p1 - l1)^2 + (u2 - p2)^2), upper
  d + sqrt((u1 - p1)^2 + (p2 - l2)^2). Arguments are SQL of columns.
-#}
{% macro newcombe_bound(p1, lower1, upper1, p2, lower2, upper2, side) %}
  {%- if side == 'lower' -%}
    {{- '(' ~ p1 ~ ' - ' ~ p2 ~ ' - sqrt(power(' ~ p1 ~ ' - ' ~ lower1 ~ ', 2) + power(' ~ upper2 ~ ' - ' ~ p2
        ~ ', 2)))' -}}
  {%- else -%}
    {{- '(' ~ p1 ~ ' - ' ~ p2 ~ ' + sqrt(power(' ~ upper1 ~ ' - ' ~ p1 ~ ', 2) + power(' ~ p2 ~ ' - ' ~ lower2
        ~ ', 2)))' -}}
  {%- endif -%}
{% endmacro %}
