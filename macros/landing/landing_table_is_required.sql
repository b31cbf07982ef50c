{#-
  True when a landing table must be there (config.meta.required of the table in
  _marketing__sources.yml: contacts and events). Every other table is optional:
  when it is not there it is empty. Only available while models run.
-#}
{% macro landing_table_is_required(table) %}
  {%- set found = graph.sources.values() | selectattr('source_name', 'equalto', 'marketing')
                  | selectattr('name', 'equalto', table) | list -%}
  {%- set meta = found[0].config.meta if found and found[0].config is defined and found[0].config.meta else {} -%}
  {{ return(meta.get('required', false)) }}
{% endmacro %}
