{#-
  docs/predictions.md "Purchase propensity": whether the propensity model is
  trained and scores: the propensity_enabled var, and the BG/NBD models it reads
  (clv_models_enabled: clv_enabled, DuckDB). The propensity models' own configs
  hold the same condition, which a YAML config cannot call a macro for.
-#}
{% macro propensity_model_enabled() %}
  {{- return(var('propensity_enabled') and clv_models_enabled()) -}}
{% endmacro %}
