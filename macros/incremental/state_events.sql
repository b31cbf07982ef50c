{#-
  The kept events a state model aggregates in this run: all of them
  (int_events_resolved) when the model is built from scratch, otherwise only
  what int_state_delta folds in. `where` narrows them (event types, say).
  The models calling it declare both as depends_on (the choice is made as
  they run), and int_incremental_runs, which decides it.
-#}
{% macro state_events(where='true') %}
  {%- set source = ref('int_events_resolved') if state_is_rebuilt() else ref('int_state_delta') -%}
  {{- return("select * from " ~ source ~ " where " ~ where) -}}
{% endmacro %}
