{#-
  A bound of the Wilson score interval of a proportion successes / trials
  (Wilson 1927): center (x + z^2/2) / (n + z^2), half-width
  z sqrt(n) / (n + z^2) * sqrt(p (1 - p) + z^2 / (4 n)). Stays within [0, 1]
  and is defined at 0 and at n successes; null when trials is 0.
-#}
{% macro wilson_bound(successes, trials, z, side) %}
  {%- set x = 'cast(' ~ successes ~ ' as ' ~ type_double() ~ ')' -%}
  {%- set n = 'cast(nullif(' ~ trials ~ ', 0) as ' ~ type_double() ~ ')' -%}
  {%- set z2 = z * z -%}
  {{- '((' ~ x ~ ' + ' ~ z2 / 2 ~ ') / (' ~ n ~ ' + ' ~ z2 ~ ') ' ~ ('-' if side == 'lower' else '+') ~ ' '
      ~ z ~ ' * sqrt(' ~ n ~ ') / (' ~ n ~ ' + ' ~ z2 ~ ') * sqrt(greatest(' ~ x ~ ' / ' ~ n ~ ' * (1 - ' ~ x ~ ' / '
      ~ n ~ '), 0) + ' ~ z2 ~ ' / (4 * ' ~ n ~ ')))' -}}
{% endmacro %}
