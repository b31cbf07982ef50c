{#-
  on-run-start: drop the work tables a stopped run left beside this project's
  models: `<model>__next` (spark_rewrite_table), `<model>__new` (a Spark state
  merge's new rows) and `<model>__candidates` (the judged events' candidates).
  Each is dropped before it is written again, but a run that does not write it
  (a --full-refresh, a selection without the model) would leave its per-person
  rows out of reach of later erasure requests (docs/identity.md "Erasure").
  Only those three names beside a model of this package are looked at, and a
  relation that a node of the graph builds is never touched; one line is logged
  per drop. Costs no statement when nothing is left: the names are looked up
  in dbt's relation cache.
-#}
{% macro drop_interrupted_run_tables() %}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set candidates = [] -%}
  {%- for node in graph.nodes.values()
      if node.resource_type == 'model' and node.package_name == 'contact_segmentation'
      and node.config.materialized != 'ephemeral' -%}
    {%- for suffix in ['__next', '__new', '__candidates'] -%}
      {%- do candidates.append({'database': node.database, 'schema': node.schema,
          'identifier': (node.alias or node.name) ~ suffix}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- do drop_unbuilt_relations(candidates, "a stopped run's work table (drop_interrupted_run_tables)") -%}
  {{ return('') }}
{% endmacro %}
