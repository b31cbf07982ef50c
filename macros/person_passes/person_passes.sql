{#-
  How many passes over the persons build this model: one per `persons_per_pass`
  persons of int_contacts_resolved, rounded up (a model whose config meta names
  another var in `persons_per_pass_var` takes that one: the state tables, the
  mart's join), so that each pass's group-bys and joins hold 1/passes of the rows
  and fit in DuckDB's memory limit (docs/decisions.md "Cost curve"). One where
  that is not needed or not known: on the other engines (they spill joins and
  aggregates to disk), while dbt parses, in a unit test, before the persons are
  built (a lint), and for an incremental model that folds a delta run (its rows
  are the day's persons).
-#}
{% macro person_passes() %}
  {%- if model.resource_type == 'unit_test' -%}
    {{ return(1) }}
  {%- endif -%}
  {#- Ref'd before the other returns, so that dbt records the dependency while it parses
      (a unit test has only the refs of the model's own SQL as inputs). -#}
  {%- set resolved_ref = ref('int_contacts_resolved') -%}
  {%- if not execute or target.type != 'duckdb' -%}
    {{ return(1) }}
  {%- endif -%}
  {%- if not state_is_rebuilt() -%}
    {{ return(1) }}
  {%- endif -%}
  {%- set resolved = load_relation(resolved_ref) -%}
  {%- if resolved is none -%}
    {{ return(1) }}
  {%- endif -%}
  {%- set persons = run_query("select count(*) from " ~ resolved).columns[0].values()[0] -%}
  {%- set per_pass = var((config.get('meta') or {}).get('persons_per_pass_var', 'persons_per_pass')) -%}
  {{ return([1, ((persons + per_pass - 1) // per_pass) | int] | max) }}
{% endmacro %}
