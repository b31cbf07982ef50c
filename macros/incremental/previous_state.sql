{#-
  The relation of a model built later in this run, as the last run left it:
  for the few models that read what a downstream model held before this run
  (int_events_reopened and int_events_judged read int_events_dropped). Not a
  ref(): that would make a cycle in the DAG. None may be added (a conventions
  test lists them; docs/incremental.md "Reads outside ref()").
-#}
{% macro previous_state(name) %}
  {%- set relation = adapter.get_relation(database=this.database, schema=this.schema, identifier=name) -%}
  {%- if relation is none -%}
    {{ exceptions.raise_compiler_error(name ~ " does not exist, but this run folds into the state it belongs to: "
        ~ "rebuild with --full-refresh") }}
  {%- endif -%}
  {{ return(relation) }}
{% endmacro %}
