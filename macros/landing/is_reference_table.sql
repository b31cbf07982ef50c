{#- Reference tables are read whole on every run and may be edited; batches are not tracked for them. -#}
{% macro is_reference_table(table) %}
  {{- return(table in ['fx_rates', 'exclusions']) -}}
{% endmacro %}
