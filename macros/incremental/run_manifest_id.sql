{#- The unique id of the run manifest, int_incremental_runs (of this package, in a host project too). -#}
{% macro run_manifest_id() %}
  {{- return('model.contact_segmentation.int_incremental_runs') -}}
{% endmacro %}

{#-
  The run manifest's table, for the on-run-start and on-run-end hooks (a hook
  cannot ref() a model): none when it does not exist yet.
-#}
{% macro run_manifest_relation() %}
  {%- set node = graph.nodes[run_manifest_id()] -%}
  {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{% endmacro %}
