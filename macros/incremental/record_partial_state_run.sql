{#-
  on-run-start: a run that selects state models without the run manifest
  (`dbt run -s int_contact_activity`, slim CI's `state:modified+`) rebuilds
  them from every staged row, outside any commit. Record it in the manifest
  as an uncommitted 'partial' run, before any of them changes, so that the
  next run rebuilds the state in full instead of folding into it; and say so
  in one line. Nothing to do on a first build.
-#}
{% macro record_partial_state_run() %}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set selected = state_models() | select('in', selected_resources) | list -%}
  {%- if not selected or run_manifest_id() in selected_resources -%}
    {{ return('') }}
  {%- endif -%}
  {%- set manifest = run_manifest_relation() -%}
  {%- if manifest is none -%}
    {{ return('') }}
  {%- endif -%}
  {%- set names = selected | map('replace', 'model.contact_segmentation.', '') | join(', ') -%}
  {%- set reason = 'a selection without int_incremental_runs rebuilt ' ~ names ~ ' from every staged row' -%}
  {{ log("This selection rebuilds " ~ selected | length ~ " state model(s) without the run manifest "
      ~ "(int_incremental_runs): the next run that builds the state rebuilds it in full (docs/incremental.md).",
      info=true) }}
  {{ return("insert into " ~ manifest ~ " (invocation_id, run_started_at, as_of_date, run_mode, reason,"
      ~ " last_folded_batch, last_registered_batch, settings_fingerprint, run_number) select '" ~ invocation_id
      ~ "', " ~ run_started_at_sql() ~ ", " ~ as_of_date_sql() ~ ", 'partial', '" ~ reason[:500] | replace("'", "''")
      ~ "', 0, 0, '', coalesce(max(run_number), 0) + 1 from " ~ manifest) }}
{% endmacro %}
