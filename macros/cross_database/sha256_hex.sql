{#- Lower-case hex SHA-256 of a text value (for ad-platform audience matching). -#}
{% macro sha256_hex(expression) %}
  {{- return(adapter.dispatch('sha256_hex', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__sha256_hex(expression) %}
  {{- "sha256(" ~ expression ~ ")" -}}
{% endmacro %}

{% macro postgres__sha256_hex(expression) %}
  {{- "encode(sha256(convert_to(" ~ expression ~ ", 'UTF8')), 'hex')" -}}
{% endmacro %}

{% macro spark__sha256_hex(expression) %}
  {{- "sha2(" ~ expression ~ ", 256)" -}}
{% endmacro %}
