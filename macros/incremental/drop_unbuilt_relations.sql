{#-
  Drops the relations among `candidates` that exist and that no node of the
  graph builds (a model, seed or snapshot of the same name, a host project's
  own say, is never touched), logging one line per drop. Looked up in dbt's
  relation cache: no statement when none exists. Used by the on-run-start
  hooks that keep per-person rows from outliving an erasure.
    candidates: a list of {database, schema, identifier}
    why:        the reason the log line gives for a drop
-#}
{% macro drop_unbuilt_relations(candidates, why) %}
  {%- set built = [] -%}
  {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed', 'snapshot') -%}
    {%- do built.append(node.alias or node.name) -%}
  {%- endfor -%}
  {%- for candidate in candidates if candidate.identifier not in built -%}
    {%- set relation = adapter.get_relation(
        database=candidate.database, schema=candidate.schema, identifier=candidate.identifier) -%}
    {%- if relation is not none -%}
      {{ log("Dropping " ~ relation ~ ": " ~ why ~ ".", info=true) }}
      {%- do adapter.drop_relation(relation) -%}
    {%- endif -%}
  {%- endfor -%}
{% endmacro %}
