{#-
  dbt-duckdb writes an incremental Python model's new rows to a table named
  <model>__dbt_tmp<timestamp> and, unlike a SQL model's temporary table, leaves
  it in the schema after the merge. A post-hook: returns the SQL that drops every
  such table of `relation`.
-#}
{% macro drop_python_scratch_tables(relation) %}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set found = run_query("select table_name from information_schema.tables where table_schema = '"
      ~ relation.schema ~ "' and starts_with(table_name, '" ~ relation.identifier ~ "__dbt_tmp')") -%}
  {%- set drops = [] -%}
  {%- for name in found.columns[0].values() -%}
    {%- do drops.append('drop table if exists ' ~ relation.incorporate(path={'identifier': name})) -%}
  {%- endfor -%}
  {{ return(drops | join('; ')) }}
{% endmacro %}
