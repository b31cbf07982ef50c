{#- True when the whole of `expression` matches `pattern` (a SQL string literal). -#}
{% macro regex_full_match(expression, pattern) %}
  {{- return(adapter.dispatch('regex_full_match', 'contact_segmentation')(expression, pattern)) -}}
{% endmacro %}

{% macro default__regex_full_match(expression, pattern) %}
  {{- "regexp_full_match(" ~ expression ~ ", " ~ pattern ~ ")" -}}
{% endmacro %}

{% macro postgres__regex_full_match(expression, pattern) %}
  {{- "(" ~ expression ~ " ~ ('^(?:' || " ~ pattern ~ " || ')$'))" -}}
{% endmacro %}

{% macro spark__regex_full_match(expression, pattern) %}
  {{- "(" ~ expression ~ " rlike ('^(?:' || " ~ pattern ~ " || ')$'))" -}}
{% endmacro %}
