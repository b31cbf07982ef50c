{#-
  on-run-end: commit this run's state (docs/incremental.md): set committed_at on
  the run's row of int_incremental_runs when the run built the manifest and
  every state model (state_models) successfully. A run that built the manifest
  and not all of them, or that failed in one, commits nothing and says so in one
  line: the next run rebuilds the state in full. A run killed half-way never gets
  here, which has the same effect. When the run also built every segment history
  model (history_models), it marks its as_of recorded: history_recorded_at
  (history_guard reads it).
    results: dbt's results of the run (the on-run-end context variable).
-#}
{% macro commit_state_run(results) %}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set succeeded = results | selectattr('status', 'in', ['success', 'pass']) | map(attribute='node')
      | map(attribute='unique_id') | list -%}
  {%- if run_manifest_id() not in succeeded -%}
    {{ return('') }}
  {%- endif -%}
  {%- set missing = state_models() | reject('in', succeeded) | list -%}
  {%- if missing -%}
    {{ log("The state is not committed: " ~ missing | length ~ " state model(s) were not built in this run ("
        ~ missing | map('replace', 'model.contact_segmentation.', '') | join(', ')
        ~ "); the next run that builds the state rebuilds it in full (docs/incremental.md).", info=true) }}
    {{ return('') }}
  {%- endif -%}
  {%- set history = history_models() -%}
  {%- set recorded = history and not (history | reject('in', succeeded) | list) -%}
  {{ return(adapter.dispatch('commit_state_run', 'contact_segmentation')(run_manifest_relation(), recorded)) }}
{% endmacro %}

{% macro default__commit_state_run(manifest, history_recorded) %}
  {{ return("update " ~ manifest ~ " set committed_at = " ~ run_started_at_sql()
      ~ (", history_recorded_at = " ~ run_started_at_sql() if history_recorded else "")
      ~ " where invocation_id = '" ~ invocation_id ~ "' and run_mode in ('full', 'delta')") }}
{% endmacro %}

{#- Plain Spark tables cannot update rows: the manifest (a row a run) is rewritten here and now. -#}
{% macro spark__commit_state_run(manifest, history_recorded) %}
  {%- set columns = adapter.get_columns_in_relation(manifest) | map(attribute='name') | list -%}
  {%- set stamped = ['committed_at', 'history_recorded_at'] if history_recorded else ['committed_at'] -%}
  {%- set selected = [] -%}
  {%- for column in columns -%}
    {%- do selected.append(("case when invocation_id = '" ~ invocation_id ~ "' and run_mode in ('full', 'delta') then "
        ~ run_started_at_sql() ~ " else " ~ column ~ " end as " ~ column) if column | lower in stamped
        else column) -%}
  {%- endfor -%}
  {%- do spark_rewrite_table(manifest, "select " ~ selected | join(', ') ~ " from " ~ manifest) -%}
  {{ return('') }}
{% endmacro %}
