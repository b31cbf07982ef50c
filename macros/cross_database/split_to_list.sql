{#- Split a '|'-separated many_of value into a sorted array of distinct, trimmed, non-empty items. -#}
{% macro split_to_list(expression) %}
  {{- return(adapter.dispatch('split_to_list', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__split_to_list(expression) %}
  {{ exceptions.raise_compiler_error("split_to_list has no implementation for " ~ target.type) }}
{% endmacro %}

{% macro duckdb__split_to_list(expression) %}
  {{- "list_sort(list_distinct(list_filter(list_transform(string_split(" ~ expression
      ~ ", '|'), lambda item: trim(item)), lambda item: item != '')))" -}}
{% endmacro %}

{% macro postgres__split_to_list(expression) %}
  {#- A null value stays null, as on DuckDB (array() over no rows would be empty). -#}
  {{- "case when " ~ expression ~ " is not null then array(select distinct trim(item) from unnest(string_to_array("
      ~ expression ~ ", '|')) as item where trim(item) != '' order by 1) end" -}}
{% endmacro %}

{% macro spark__split_to_list(expression) %}
  {{- "case when " ~ expression ~ " is not null then array_sort(array_distinct(filter(transform(split("
      ~ expression ~ ", '[|]'), item -> trim(item)), item -> item != ''))) end" -}}
{% endmacro %}
