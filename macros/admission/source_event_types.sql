{#-
  The source spellings (event_type_mappings) of the canonical `event_types`, as
  a SQL list for an `in (...)`: lets a model filter staged events on their own
  column, which the scan can use. Read when models run; while dbt parses, the
  canonical names themselves.
-#}
{% macro source_event_types(event_types) %}
  {%- set names = [] -%}
  {%- set mappings = ref('event_type_mappings') -%}
  {%- if relation_exists(mappings) -%}
    {%- for row in run_query("select source_event_type from " ~ mappings ~ " where event_type in ('"
        ~ event_types | join("', '") ~ "') order by 1") -%}
      {%- do names.append(row[0]) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set names = names or event_types -%}
  {{- return("'" ~ names | map('replace', "'", "''") | join("', '") ~ "'") -}}
{% endmacro %}
