{#-
  The kept events a state model aggregates in this run: all of them
  (int_events_resolved) when the model is built from scratch, otherwise only
  what int_state_delta folds in. `where` narrows them (event types, say).
  Built from scratch at millions of persons, the model is built in passes over
  the persons (person_pass_where): each pass groups the events of its persons
  only. The models calling it declare both as depends_on (the choice is made
  as they run), and int_incremental_runs, which decides it.
-#}
{% macro state_events(where='true') %}
  {%- if not state_is_rebuilt() -%}
    {{- return("select * from " ~ ref('int_state_delta') ~ " where " ~ where) -}}
  {%- endif -%}
  {{- return("select * from " ~ ref('int_events_resolved') ~ " where (" ~ where ~ ") and "
      ~ person_pass_where()) -}}
{% endmacro %}
