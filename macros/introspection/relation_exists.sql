{#-
  Whether `relation` exists in the warehouse now. Macros that read the
  warehouse while a model compiles (landing columns, the batch manifest, the
  mappings) ask first, so that `dbt compile`, `dbt docs generate` and the
  sqlfluff templater work on a warehouse that was never built.
-#}
{% macro relation_exists(relation) %}
  {%- if not execute -%}
    {{ return(false) }}
  {%- endif -%}
  {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
      identifier=relation.identifier) is not none) }}
{% endmacro %}
