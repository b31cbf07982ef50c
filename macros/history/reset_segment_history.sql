{#-
  Drop the segment history tables so that they can be rebuilt by a backfill.
  `--full-refresh` never wipes them (they are full_refresh: false); this is the
  one deliberate way: dbt run-operation reset_segment_history --args '{confirm: true}'
-#}
{% macro reset_segment_history(confirm=false) %}
  {%- if not confirm -%}
    {{ exceptions.raise_compiler_error("reset_segment_history deletes all segment history; "
        ~ "pass --args '{confirm: true}' to do it") }}
  {%- endif -%}
  {%- for name in ['segment_membership_changes', 'segment_daily_sizes', 'segment_group_changes'] -%}
    {%- set relation = adapter.get_relation(database=target.database, schema=target.schema, identifier=name) -%}
    {%- if relation is not none -%}
      {% do adapter.drop_relation(relation) %}
      {% do log("dropped " ~ relation, info=true) %}
    {%- endif -%}
  {%- endfor -%}
  {#- run-operation does not commit by itself. -#}
  {% do adapter.commit() %}
{% endmacro %}
