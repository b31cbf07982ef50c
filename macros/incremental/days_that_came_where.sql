{#-
  "The events whose day came" (docs/incremental.md): when as_of moved on since
  the last committed run, the SQL condition on staged event columns that holds
  for the events the committed state already staged (a load batch it folded)
  but left out because their day was after its as_of, and whose day is now on
  or before as_of. none when as_of did not move on. int_state_persons merges
  their persons and int_state_delta folds them.
    run:    this run's row of the manifest (incremental_run())
    prefix: the staged events' alias with its dot ('staged.'), or '' (default)
-#}
{% macro days_that_came_where(run, prefix='') %}
  {%- if run.previous_as_of_date is none or run.previous_as_of_date | string >= as_of_date() | string -%}
    {{ return(none) }}
  {%- endif -%}
  {{ return(prefix ~ "occurred_at >= cast('" ~ run.previous_as_of_date ~ "' as date) + 1 and " ~ prefix
      ~ "occurred_at < " ~ as_of_end_sql() ~ " and " ~ prefix ~ "load_batch_number <= " ~ run.last_folded_batch) }}
{% endmacro %}
