{#-
  This run's row of int_incremental_runs, as a mapping: mode ('full' or
  'delta'), why, as_of_date, previous_as_of_date (of the last committed run),
  last_folded_batch (the highest load batch the committed state holds: rows of
  later batches are new to admission and state). While dbt parses, and when the
  run did not build int_incremental_runs: full mode.
-#}
{% macro incremental_run() %}
  {%- set runs = ref('int_incremental_runs') -%}
  {%- if not execute -%}
    {{ return({'mode': 'full', 'reason': 'parsing', 'last_folded_batch': 0, 'previous_as_of_date': none}) }}
  {%- endif -%}
  {%- set built = adapter.get_relation(database=runs.database, schema=runs.schema, identifier=runs.identifier) -%}
  {%- set rows = run_query("select run_mode, reason, last_folded_batch, previous_as_of_date from "
      ~ runs ~ " where invocation_id = '" ~ invocation_id ~ "'").rows if built is not none else [] -%}
  {%- if rows | length != 1 -%}
    {#- Not built in this run (a selection without it, a unit test): the models rebuild in full. -#}
    {{ return({'mode': 'full', 'reason': 'int_incremental_runs was not built in this run', 'last_folded_batch': 0,
               'previous_as_of_date': none}) }}
  {%- endif -%}
  {{ return({'mode': rows[0][0], 'reason': rows[0][1], 'last_folded_batch': rows[0][2] or 0,
             'previous_as_of_date': rows[0][3]}) }}
{% endmacro %}

{#-
  True when this model must be built from all kept events: its table is new or the
  run is not a delta run (a full run, or a selection without the run manifest, which
  record_partial_state_run marks 'partial').
-#}
{% macro state_is_rebuilt() %}
  {{- return(not is_incremental() or incremental_run().mode != 'delta') -}}
{% endmacro %}
