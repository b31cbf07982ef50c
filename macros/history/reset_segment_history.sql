{#-
  Drop the segment history tables so that they can be rebuilt by a backfill, and
  clear the days the run manifest marks recorded (history_recorded_at), so that
  the backfill records them again. `--full-refresh` never wipes them (they are
  full_refresh: false); this is the one deliberate way:
  dbt run-operation reset_segment_history --args '{confirm: true}'
-#}
{% macro reset_segment_history(confirm=false) %}
  {%- if not confirm -%}
    {{ exceptions.raise_compiler_error("reset_segment_history deletes all segment history; "
        ~ "pass --args '{confirm: true}' to do it") }}
  {%- endif -%}
  {%- for unique_id in history_models() -%}
    {%- set node = graph.nodes[unique_id] -%}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- if relation is not none -%}
      {% do adapter.drop_relation(relation) %}
      {% do log("dropped " ~ relation, info=true) %}
    {%- endif -%}
  {%- endfor -%}
  {%- set manifest = run_manifest_relation() -%}
  {%- if manifest is not none
      and 'history_recorded_at' in adapter.get_columns_in_relation(manifest) | map(attribute='name') | map('lower') -%}
    {% do unmark_recorded_history(manifest) %}
  {%- endif -%}
  {#- run-operation does not commit by itself. -#}
  {% do adapter.commit() %}
{% endmacro %}

{#- Clear every history_recorded_at of the run manifest. -#}
{% macro unmark_recorded_history(manifest) %}
  {%- do adapter.dispatch('unmark_recorded_history', 'contact_segmentation')(manifest) -%}
{% endmacro %}

{% macro default__unmark_recorded_history(manifest) %}
  {%- do run_query("update " ~ manifest ~ " set history_recorded_at = null") -%}
{% endmacro %}

{#- Plain Spark tables cannot update rows: the manifest is rewritten. -#}
{% macro spark__unmark_recorded_history(manifest) %}
  {%- set columns = adapter.get_columns_in_relation(manifest) | map(attribute='name') | list -%}
  {%- set selected = [] -%}
  {%- for column in columns -%}
    {%- do selected.append("cast(null as timestamp) as " ~ column if column | lower == 'history_recorded_at'
        else column) -%}
  {%- endfor -%}
  {%- do spark_rewrite_table(manifest, "select " ~ selected | join(', ') ~ " from " ~ manifest) -%}
{% endmacro %}
