{#- SPEC "Contacts and identity": trimmed and lower-cased; empty is null. -#}
{% macro normalize_email(expression) %}
  {{- "nullif(lower(trim(" ~ expression ~ ")), '')" -}}
{% endmacro %}
