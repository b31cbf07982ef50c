{#-
  The relation of one landing table: the marketing source. With the demo seeds
  (no raw_data_path, raw_schema or raw_tables) the source is the seed's table, and
  the seed is referenced too, so that `dbt build` loads it before staging reads it.
  A host project maps a table elsewhere with the raw_tables var ({contacts:
  {database: d, schema: s, identifier: t}}, each key optional): the source is still
  what dbt's lineage shows, at that location. The staging models are the only callers.
-#}
{% macro landing_relation(table) %}
  {%- set mapped = var('raw_tables', {}) -%}
  {%- if not var('raw_data_path', '') and var('raw_schema', none) is none and not mapped -%}
    {%- do ref(table) -%}
  {%- endif -%}
  {%- set relation = source('marketing', table) -%}
  {%- set location = {} -%}
  {%- for part in ['database', 'schema', 'identifier'] if (mapped.get(table) or {}).get(part) -%}
    {%- do location.update({part: mapped[table][part]}) -%}
  {%- endfor -%}
  {{ return(relation.incorporate(path=location) if location else relation) }}
{% endmacro %}
