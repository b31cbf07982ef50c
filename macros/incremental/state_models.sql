{#-
  The unique ids of the state models: the SQL models that ref the run manifest
  (int_incremental_runs), which decides how each run folds them. A run commits
  its state only when every one of them was built in it (commit_state_run). The
  predictive Python models read the manifest for the run's as_of only, and are
  rebuilt whole; the segment history (history_models) reads it for the days it
  recorded: neither is state. Empty while dbt parses.
-#}
{% macro state_models() %}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set manifest_id = run_manifest_id() -%}
  {%- set history = history_models() -%}
  {%- set ids = [] -%}
  {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
    {%- if manifest_id in node.depends_on.nodes and node.language == 'sql' and node.unique_id not in history -%}
      {%- do ids.append(node.unique_id) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(ids | sort) }}
{% endmacro %}

{#-
  The unique ids of the segment history models: the models whose config meta has
  segment_history (dbt_project.yml sets it for marts/history). A run marks its
  as_of recorded in the run manifest only when it built every one of them
  (commit_state_run). Empty while dbt parses.
-#}
{% macro history_models() %}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set ids = [] -%}
  {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
    {%- if node.config.meta.get('segment_history') -%}
      {%- do ids.append(node.unique_id) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(ids | sort) }}
{% endmacro %}
