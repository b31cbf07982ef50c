{#-
  The group's text values sorted and joined by `delimiter` (a SQL string
  literal, ',' by default): one deterministic text per group, for fingerprints.
-#}
{% macro sorted_text_agg(expression, delimiter="','") %}
  {{- return(adapter.dispatch('sorted_text_agg', 'contact_segmentation')(expression, delimiter)) -}}
{% endmacro %}

{% macro default__sorted_text_agg(expression, delimiter) %}
  {{- "string_agg(" ~ expression ~ ", " ~ delimiter ~ " order by " ~ expression ~ ")" -}}
{% endmacro %}

{% macro spark__sorted_text_agg(expression, delimiter) %}
  {{- "array_join(array_sort(collect_list(" ~ expression ~ ")), " ~ delimiter ~ ")" -}}
{% endmacro %}
