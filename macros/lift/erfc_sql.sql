{#-
  The complementary error function erfc(x) in plain SQL, for engines without
  one: the Chebyshev fit of Numerical Recipes (erfcc, section 6.2), fractional
  error below 1.2e-7 everywhere. A two-sided normal p-value is erfc(|z| / sqrt 2).
-#}
{% macro erfc_sql(x) %}
  {%- set coefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
                          1.48851587, -0.82215223, 0.17087277] -%}
  {%- set t = '(1.0 / (1.0 + 0.5 * abs(' ~ x ~ ')))' -%}
  {#- The polynomial in t written out term by term, not nested (Horner): SQL parsers limit nesting depth. -#}
  {%- set terms = [coefficients[0] | string] -%}
  {%- for coefficient in coefficients[1:] -%}
    {%- do terms.append(coefficient ~ ' * power(' ~ t ~ ', ' ~ loop.index ~ ')') -%}
  {%- endfor -%}
  {%- set tail = t ~ ' * exp(-(' ~ x ~ ') * (' ~ x ~ ') + ' ~ terms | join(' + ') ~ ')' -%}
  {{- '(case when ' ~ x ~ ' >= 0 then ' ~ tail ~ ' else 2 - ' ~ tail ~ ' end)' -}}
{% endmacro %}
