{#- true/false/yes/no/1/0 in any case; anything else is null (callers decide if that is invalid). -#}
{% macro parse_boolean(expression) %}
  {{- "case lower(trim(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")))"
      ~ " when 'true' then true when 'yes' then true when '1' then true"
      ~ " when 'false' then false when 'no' then false when '0' then false end" -}}
{% endmacro %}
