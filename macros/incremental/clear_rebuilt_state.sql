{#-
  Pre-hook of the incremental admission and state models: in a full run, empty
  the table so that the model's rows replace it; in a delta run, delete the
  rows of the persons whose state is rebuilt from their whole history (the
  recomputed persons of int_state_persons) when `person_column` is given.
-#}
{% macro clear_rebuilt_state(relation, person_column=none) %}
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
  {{ return("delete from " ~ relation ~ " where " ~ person_column ~ " in (select contact_id from "
      ~ persons ~ " where is_recomputed)") }}
{% endmacro %}
