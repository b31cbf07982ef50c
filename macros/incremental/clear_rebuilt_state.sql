{#-
  Pre-hook of the incremental admission, state and feature models: in a full
  run (or a partial one: a selection without the run manifest), empty the table
  so that the model's rows replace it; in a delta run, delete the rows of the
  persons whose state is rebuilt from their whole history (the recomputed
  persons of int_state_persons) when `person_column` is given. A feature table
  that recomputes whole every person whose state the run changes passes
  `every_state_person`, and `stale_where` for the rows that go stale with no
  new event (a trait day leaving a window); the model then recomputes the
  persons without a row.
-#}
{% macro clear_rebuilt_state(relation, person_column=none, every_state_person=false, stale_where=none) %}
  {%- set persons = ref('int_state_persons') if person_column is not none else none -%}
  {%- if not execute or not is_incremental() -%}
    {{ return('') }}
  {%- endif -%}
  {%- if incremental_run().mode != 'delta' -%}
    {{ return(delete_rows(relation)) }}
  {%- endif -%}
  {%- if person_column is none -%}
    {{ return('') }}
  {%- endif -%}
  {%- set changed = persons if every_state_person else "(select contact_id from " ~ persons ~ " where is_recomputed)" -%}
  {{ return(delete_rows(relation, person_column ~ " in (select contact_id from " ~ changed ~ ")"
      ~ (" or " ~ stale_where if stale_where else ""))) }}
{% endmacro %}
