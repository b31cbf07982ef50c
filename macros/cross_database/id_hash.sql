{#- A 64-bit hash of a text value: a compact join key for lookups, never a key on its own (it may collide). -#}
{% macro id_hash(expression) %}
  {{- return(adapter.dispatch('id_hash', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__id_hash(expression) %}
  {{- "hash(" ~ expression ~ ")" -}}
{% endmacro %}

{% macro postgres__id_hash(expression) %}
  {{- "hashtextextended(" ~ expression ~ ", 0)" -}}
{% endmacro %}

{% macro spark__id_hash(expression) %}
  {{- "xxhash64(" ~ expression ~ ")" -}}
{% endmacro %}
