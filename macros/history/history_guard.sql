{#-
  Segment history is recorded once per as_of, moving forward. The run manifest
  (int_incremental_runs) is the register of recorded days: commit_state_run sets
  history_recorded_at on a run's row when the run built the whole state and every
  history model (history_models). Returns 'skip' when as_of is marked recorded
  there, or is before the last day marked there (in `relation` itself while no
  day is marked: a manifest from before the marks) (a warning: a point-in-time rebuild of a past as_of still rebuilds the marts, but
  history is not rewritten, since the later days' changes were computed without
  that day); 'record' otherwise. A run stopped before its commit leaves its day
  unmarked: the next run that records a day first deletes, in each history model,
  the rows written for unmarked days (clear_history_day), so the models always
  agree. See docs/segments.md "History".
  A day is recorded only by a run that builds the whole per-contact state (the
  run manifest and every state model: state_models): a selection such as slim
  CI's `state:modified+` rebuilds the marts from the state as it stands, which
  may not hold the day's batches yet, and the day is left to the next full run.
  `quiet`: true from the pre-hook, which asks again what the model's body asked.
-#}
{% macro history_guard(relation, quiet=false) %}
  {#- Ref'd before the early returns, so that dbt records the dependency while parsing. -#}
  {%- set manifest = ref('int_incremental_runs') -%}
  {%- if not execute -%}
    {{ return('record') }}
  {%- endif -%}
  {%- set unselected = ([run_manifest_id()] + state_models()) | reject('in', selected_resources) | list -%}
  {%- if unselected -%}
    {%- if not quiet -%}
      {{ log(relation.identifier ~ ": as_of " ~ as_of_date() ~ " is not recorded: this selection does not build "
          ~ "the whole per-contact state (" ~ unselected | length ~ " state model(s) left out); the next run that "
          ~ "does records it.", info=true) }}
    {%- endif -%}
    {{ return('skip') }}
  {%- endif -%}
  {%- if not is_incremental() -%}
    {{ return('record') }}
  {%- endif -%}
  {%- set marked = run_query("select max(as_of_date), count(case when as_of_date = " ~ as_of_date_sql()
      ~ " then 1 end) from " ~ manifest ~ " where history_recorded_at is not null") -%}
  {%- if marked.columns[1].values()[0] > 0 -%}
    {{ return('skip') }}
  {%- endif -%}
  {#- Its own last day only where no day is marked yet (a manifest from before the marks): rows after the
      last marked day are an unfinished run's, which clear_history_day deletes. -#}
  {%- set last_recorded = marked.columns[0].values()[0] -%}
  {%- if last_recorded is none -%}
    {%- set last_recorded = run_query("select max(as_of_date) from " ~ relation).columns[0].values()[0] -%}
  {%- endif -%}
  {%- if last_recorded is not none and as_of_date() < last_recorded -%}
    {%- if not quiet -%}
      {{ exceptions.warn("as_of " ~ as_of_date() ~ " is before the last recorded day " ~ last_recorded
          ~ " of the segment history, which only moves forward: " ~ relation.identifier ~ " is left as it is. "
          ~ "To rebuild history, run `dbt run-operation reset_segment_history --args '{confirm: true}'` "
          ~ "and backfill from the first day.") }}
    {%- endif -%}
    {{ return('skip') }}
  {%- endif -%}
  {{ return('record') }}
{% endmacro %}

{#-
  Pre-hook of the history models: when this run records as_of (history_guard),
  delete the rows the model holds for the days after the last day the run
  manifest marks recorded: what runs stopped before their commit wrote, for this
  day or for an earlier one no run finished. So the three history models agree
  on every day, and a day no run finished is left out of all of them (its
  changes count on the next recorded day). Without a mark yet (a manifest from
  before the marks), only this day's rows.
    relation: the history model (this).
-#}
{% macro clear_history_day(relation) %}
  {%- set manifest = ref('int_incremental_runs') -%}
  {%- if not execute or not is_incremental() or history_guard(relation, quiet=true) != 'record' -%}
    {{ return('') }}
  {%- endif -%}
  {%- set last_marked = run_query("select max(as_of_date) from " ~ manifest
      ~ " where history_recorded_at is not null").columns[0].values()[0] -%}
  {%- set unfinished = "as_of_date > cast('" ~ last_marked ~ "' as date)" if last_marked is not none
      else "as_of_date = " ~ as_of_date_sql() -%}
  {#- Asked first: on Spark a delete rewrites the whole table. -#}
  {%- if run_query("select count(*) from " ~ relation ~ " where " ~ unfinished).columns[0].values()[0] == 0 -%}
    {{ return('') }}
  {%- endif -%}
  {{ return(delete_rows(relation, unfinished)) }}
{% endmacro %}
