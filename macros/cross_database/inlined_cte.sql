{#-
  The keyword that makes a CTE be planned inline in each place the query reads it
  (`with x as not materialized (...)`), where the engine has one: DuckDB and
  PostgreSQL; Spark has none, and plans every CTE inline. DuckDB otherwise
  computes a CTE read more than once whole and holds it, which is what ran a
  state table out of memory (docs/decisions.md "Cost curve").
-#}
{% macro inlined_cte() %}
  {{- return(adapter.dispatch('inlined_cte', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__inlined_cte() %}
  {{- return('not materialized') -}}
{% endmacro %}

{% macro spark__inlined_cte() %}
  {{- return('') -}}
{% endmacro %}
