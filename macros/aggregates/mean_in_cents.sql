{#-
  docs/money.md: total / count in whole cents, rounded half away from zero, in
  exact integer arithmetic. A float division (DuckDB divides decimals as doubles)
  put 130.39 / 2 at 65.19 instead of 65.20, and engines would disagree.
-#}
{% macro mean_in_cents(total_expression, count_expression) %}
  {%- set cents = 'cast((' ~ total_expression ~ ') * 100 as ' ~ dbt.type_bigint() ~ ')' -%}
  cast(
      cast(
          sign({{ total_expression }}) * {{ integer_divide(
              '2 * abs(' ~ cents ~ ') + (' ~ count_expression ~ ')',
              '2 * (' ~ count_expression ~ ')') }}
          as decimal(20, 0)
      ) * 0.01 as decimal(18, 2)
  )
{%- endmacro %}
