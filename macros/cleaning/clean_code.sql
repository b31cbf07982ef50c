{#- Code-like values (status, type, device, source) compare trimmed and case-insensitively. -#}
{% macro clean_code(expression) %}
  {{- "lower(" ~ clean_text(expression) ~ ")" -}}
{% endmacro %}
