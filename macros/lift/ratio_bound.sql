{#-
  A bound of the relative lift p1 / p2 - 1 by the log method (Katz et al. 1978,
  statsmodels' confint_proportions_2indep(compare='ratio', method='log')):
  exp(ln(p1 / p2) -/+ z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)) - 1. Null when either
  group has no successes (the ratio has no finite log).
-#}
{% macro ratio_bound(x1, n1, x2, n2, z, side) %}
  {%- set p1 = '(cast(' ~ x1 ~ ' as ' ~ type_double() ~ ') / ' ~ n1 ~ ')' -%}
  {%- set p2 = '(cast(' ~ x2 ~ ' as ' ~ type_double() ~ ') / ' ~ n2 ~ ')' -%}
  {%- set log_ratio = 'ln(' ~ p1 ~ ' / ' ~ p2 ~ ')' -%}
  {%- set se = 'sqrt(1.0 / ' ~ x1 ~ ' - 1.0 / ' ~ n1 ~ ' + 1.0 / ' ~ x2 ~ ' - 1.0 / ' ~ n2 ~ ')' -%}
  {{- '(case when ' ~ x1 ~ ' > 0 and ' ~ x2 ~ ' > 0 then exp(' ~ log_ratio ~ (' - ' if side == 'lower' else ' + ')
      ~ z ~ ' * ' ~ se ~ ') - 1 end)' -}}
{% endmacro %}
