{#-
  docs/predictions.md: whether the BG/NBD and Gamma-Gamma models run: the
  clv_enabled var, on DuckDB only (they are dbt Python models). dbt_project.yml
  enables the predictive folders on the same condition.
-#}
{% macro clv_models_enabled() %}
  {{- return(var('clv_enabled') and target.type == 'duckdb') -}}
{% endmacro %}
