{#-
  The two-sided p-value of the pooled two-proportion z-test of x1 / n1 against
  x2 / n2 (as statsmodels' proportions_ztest): z = (p1 - p2) / sqrt(p (1 - p)
  (1/n1 + 1/n2)) with p the pooled rate. 1 when both rates are 0 or both 1
  (no evidence of a difference); null when a group is empty.
-#}
{% macro two_proportion_p_value(x1, n1, x2, n2) %}
  {%- set pooled = '(cast(' ~ x1 ~ ' + ' ~ x2 ~ ' as ' ~ type_double() ~ ') / (' ~ n1 ~ ' + ' ~ n2 ~ '))' -%}
  {%- set se = 'sqrt(' ~ pooled ~ ' * (1 - ' ~ pooled ~ ') * (1.0 / ' ~ n1 ~ ' + 1.0 / ' ~ n2 ~ '))' -%}
  {%- set z = '((cast(' ~ x1 ~ ' as ' ~ type_double() ~ ') / ' ~ n1 ~ ' - cast(' ~ x2 ~ ' as ' ~ type_double()
      ~ ') / ' ~ n2 ~ ') / ' ~ se ~ ')' -%}
  {{- '(case when ' ~ n1 ~ ' = 0 or ' ~ n2 ~ ' = 0 then null when ' ~ x1 ~ ' + ' ~ x2 ~ ' = 0 or ' ~ x1 ~ ' + '
      ~ x2 ~ ' = ' ~ n1 ~ ' + ' ~ n2 ~ ' then 1.0 else ' ~ erfc_sql('abs(' ~ z ~ ') / sqrt(2.0)') ~ ' end)' -}}
{% endmacro %}
