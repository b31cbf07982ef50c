{#-
  contact_segments in long form: one (contact_id, segment) row per
  membership of a segment's audience (holdout members are not in the audience).
  Generated from the segment file, so a new segment is tracked from its first build.
-#}
{% macro segment_memberships_sql(relation) %}
  {%- set segments = segment_definitions() -%}
  {%- if not segments -%}
    {{ return("select cast(null as " ~ dbt.type_string() ~ ") as contact_id, cast(null as " ~ dbt.type_string()
        ~ ") as segment where false") }}
  {%- endif -%}
  {%- set parts = [] -%}
  {%- for segment in segments -%}
    {%- do parts.append("select contact_id, '" ~ segment.name ~ "' as segment from " ~ relation
        ~ " where seg_" ~ segment.name) -%}
  {%- endfor -%}
  {{ return(parts | join('\n    union all\n    ')) }}
{% endmacro %}
