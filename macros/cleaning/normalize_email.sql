{#- docs/identity.md: an email is trimmed and lower-cased; empty is null. -#}
{% macro normalize_email(expression) %}
  {{- "lower(" ~ clean_text(expression) ~ ")" -}}
{% endmacro %}
