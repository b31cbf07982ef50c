{#-
  How many passes over the persons build contact_features: one per
  `features_contacts_per_pass` persons (rounded up), so that each pass's joins fit
  in DuckDB's memory limit. One on the other engines (they spill joins to disk),
  while dbt parses, and before the persons are built (a lint, a unit test).
-#}
{% macro contact_feature_passes() %}
  {%- if not execute or target.type != 'duckdb' -%}
    {{ return(1) }}
  {%- endif -%}
  {%- set resolved = load_relation(ref('int_contacts_resolved')) -%}
  {%- if resolved is none -%}
    {{ return(1) }}
  {%- endif -%}
  {%- set persons = run_query("select count(*) from " ~ resolved).columns[0].values()[0] -%}
  {{ return([1, ((persons + var('features_contacts_per_pass') - 1) // var('features_contacts_per_pass')) | int] | max) }}
{% endmacro %}
