{#-
  The traffic source of an event as one text, '<utm_source>|<utm_medium>', each
  trimmed and lower-cased, empty when missing, a '|' inside a value read as '/':
  what the channel grouping seed matches (channel_of_visit_source).
-#}
{% macro visit_source_sql(source='utm_source', medium='utm_medium') %}
  {%- set parts = [] -%}
  {%- for column in [source, medium] -%}
    {%- do parts.append("coalesce(replace(lower(trim(" ~ column ~ ")), '|', '/'), '')") -%}
  {%- endfor -%}
  {{- return(parts | join(" || '|' || ")) -}}
{% endmacro %}
