{#-
  A select of the declared segments' names, one row (segment) each in declared
  order; no rows when the segment file declares none.
-#}
{% macro segment_names_sql() %}
  {%- set selects = [] -%}
  {%- for segment in segment_definitions() -%}
    {%- do selects.append("select '" ~ segment.name ~ "' as segment") -%}
  {%- endfor -%}
  {%- if not selects -%}
    {{ return("select cast(null as " ~ dbt.type_string() ~ ") as segment where false") }}
  {%- endif -%}
  {{ return(selects | join('\n    union all\n    ')) }}
{% endmacro %}
