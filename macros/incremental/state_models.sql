{#-
  The unique ids of the state models: the SQL models that ref the run manifest
  (int_incremental_runs), which decides how each run folds them. A run commits
  its state only when every one of them was built in it (commit_state_run). The
  predictive Python models read the manifest for the run's as_of only, and are
  rebuilt whole: they are not state. Empty while dbt parses.
-#}
{% macro state_models() %}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set manifest_id = run_manifest_id() -%}
  {%- set ids = [] -%}
  {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
    {%- if manifest_id in node.depends_on.nodes and node.language == 'sql' -%}
      {%- do ids.append(node.unique_id) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(ids | sort) }}
{% endmacro %}
