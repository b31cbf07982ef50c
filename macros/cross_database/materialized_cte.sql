{#-
  The keyword that makes a CTE be computed once, whole, before the query reads it
  (`with x as materialized (...)`), where the engine has one: DuckDB and
  PostgreSQL; Spark has none, and plans the CTE inline.
-#}
{% macro materialized_cte() %}
  {{- return(adapter.dispatch('materialized_cte', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__materialized_cte() %}
  {{- return('materialized') -}}
{% endmacro %}

{% macro spark__materialized_cte() %}
  {{- return('') -}}
{% endmacro %}
