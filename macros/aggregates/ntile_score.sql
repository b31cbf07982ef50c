{#-
  docs/purchases.md: a 1-5 score from rank() over the n scored contacts,
  worst first, in exact integer arithmetic; ties share a rank and so a score.
-#}
{% macro ntile_score(rank_expression, n_expression) %}
    case
        when {{ n_expression }} = 1 then 1
        else least(5, 1 + {{ integer_divide('5 * (' ~ rank_expression ~ ' - 1)', '(' ~ n_expression ~ ' - 1)') }})
    end
{%- endmacro %}
