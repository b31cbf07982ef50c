{#-
  docs/scores.md "Lead score": the factor 0.5 ^ (days / half-life) that decays
  points earned on the date `date_expression` to as_of, with days =
  as_of - that date; 1 when lead_score_half_life_days is 0 (no decay).
-#}
{% macro decay_factor(date_expression) %}
  {%- set half_life = var('lead_score_half_life_days') | float -%}
  {%- if half_life <= 0 -%}
    {{ return('1') }}
  {%- endif -%}
  {{ return("power(0.5, cast(" ~ dbt.datediff(date_expression, as_of_date_sql(), 'day') ~ " as " ~ type_double()
      ~ ") / " ~ half_life ~ ")") }}
{% endmacro %}
