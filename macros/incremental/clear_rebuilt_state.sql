{#-
  Pre-hook of the incremental admission, state and feature models: in a full
  run, empty the table so that the model's rows replace it; in a delta run,
  delete the rows of the persons whose state is rebuilt from their whole
  history (the recomputed persons of int_state_persons) when `person_column`
  is given, or of every person of `due_persons` when that is given too (a
  feature table recomputes those persons whole).
-#}
{% macro clear_rebuilt_state(relation, person_column=none, due_persons=none) %}
  {%- set persons = ref('int_state_persons') if person_column is not none else none -%}
  {%- if not execute or not is_incremental() -%}
    {{ return('') }}
  {%- endif -%}
  {%- if incremental_run().mode == 'full' -%}
    {{ return("delete from " ~ relation) }}
  {%- endif -%}
  {%- if person_column is none -%}
    {{ return('') }}
  {%- endif -%}
  {%- if due_persons is not none -%}
    {{ return("delete from " ~ relation ~ " where " ~ person_column ~ " in (select contact_id from "
        ~ due_persons ~ ")") }}
  {%- endif -%}
  {{ return("delete from " ~ relation ~ " where " ~ person_column ~ " in (select contact_id from "
      ~ persons ~ " where is_recomputed)") }}
{% endmacro %}
