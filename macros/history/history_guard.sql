{#-
  Segment history is recorded once per as_of, moving forward; segment_daily_sizes
  (one row per segment and recorded day) is the register of recorded days.
  Returns 'skip' when as_of is already recorded there or in `relation` itself
  (a run interrupted between the two history models), 'record' when it is new.
  An unrecorded day before the last recorded one is skipped with a warning: a
  point-in-time rebuild of a past as_of still rebuilds the marts, but history
  is not rewritten (the later days' changes were computed without that day).
  See README "Segment history". `register_skips`: false for a history that
  nothing in the register's model refs, so it may run after it in the same
  run: then only its own rows for as_of skip (its changes are idempotent: a
  day recorded with no change computes none again).
  A day is recorded only by a run that builds the whole per-contact state (the
  run manifest and every state model: state_models): a selection such as slim
  CI's `state:modified+` rebuilds the marts from the state as it stands, which
  may not hold the day's batches yet, and the day is left to the next full run.
-#}
{% macro history_guard(relation, register_skips=true) %}
  {%- if not execute -%}
    {{ return('record') }}
  {%- endif -%}
  {%- set unselected = ([run_manifest_id()] + state_models()) | reject('in', selected_resources) | list -%}
  {%- if unselected -%}
    {{ log(relation.identifier ~ ": as_of " ~ as_of_date() ~ " is not recorded: this selection does not build the "
        ~ "whole per-contact state (" ~ unselected | length ~ " state model(s) left out); the next run that does "
        ~ "records it.", info=true) }}
    {{ return('skip') }}
  {%- endif -%}
  {%- if not is_incremental() -%}
    {{ return('record') }}
  {%- endif -%}
  {%- set as_of = as_of_date() -%}
  {%- set register = adapter.get_relation(database=relation.database, schema=relation.schema,
                                          identifier='segment_daily_sizes') -%}
  {%- set sources = [relation] + ([register] if register is not none else []) -%}
  {%- set last_recorded = [] -%}
  {%- for source in sources -%}
    {%- set result = run_query("select max(as_of_date), count(case when as_of_date = " ~ as_of_date_sql()
        ~ " then 1 end) from " ~ source) -%}
    {%- if result.columns[1].values()[0] > 0 and (loop.first or register_skips) -%}
      {{ return('skip') }}
    {%- endif -%}
    {%- if result.columns[0].values()[0] is not none -%}
      {%- do last_recorded.append(result.columns[0].values()[0]) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if last_recorded and as_of < last_recorded | max -%}
    {{ exceptions.warn("as_of " ~ as_of ~ " is before the last recorded day " ~ last_recorded | max
        ~ " of the segment history, which only moves forward: " ~ relation.identifier ~ " is left as it is. "
        ~ "To rebuild history, run `dbt run-operation reset_segment_history --args '{confirm: true}'` "
        ~ "and backfill from the first day.") }}
    {{ return('skip') }}
  {%- endif -%}
  {{ return('record') }}
{% endmacro %}
