{#- Sorted, de-duplicated list of the group's non-null text values, as the engine's array type. -#}
{% macro string_list_agg(expression) %}
  {{- return(adapter.dispatch('string_list_agg', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__string_list_agg(expression) %}
  {{- "array_agg(distinct " ~ expression ~ " order by " ~ expression ~ ") filter (where "
      ~ expression ~ " is not null)" -}}
{% endmacro %}

{% macro duckdb__string_list_agg(expression) %}
  {{- "list_sort(list_distinct(list(" ~ expression ~ ")))" -}}
{% endmacro %}

{% macro spark__string_list_agg(expression) %}
  {{- "array_sort(collect_set(" ~ expression ~ "))" -}}
{% endmacro %}
