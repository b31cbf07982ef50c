{#-
  The email pattern of docs/identity.md, applied to an already normalised email.
  The single quote inside the character classes is doubled for the SQL literal.
-#}
{% macro is_valid_email(normalized_email) %}
  {%- set pattern = "^[a-z0-9!#$%&''*+/=?^_{|}~-]+(\\.[a-z0-9!#$%&''*+/=?^_{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$" -%}
  {{- "coalesce(" ~ regex_full_match(normalized_email, "'" ~ pattern ~ "'") ~ ", false)" -}}
{% endmacro %}
