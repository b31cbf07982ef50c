{#- Cast that yields null instead of failing on a value of the wrong shape. -#}
{% macro safe_cast(expression, data_type) %}
  {{- return(adapter.dispatch('safe_cast', 'contact_segmentation')(expression, data_type)) -}}
{% endmacro %}

{% macro default__safe_cast(expression, data_type) %}
  {{- "try_cast(" ~ expression ~ " as " ~ data_type ~ ")" -}}
{% endmacro %}
