{#-
  The filter that keeps the persons of one pass (pass_number of passes, from 0)
  by a stable bucket of contact_id; nothing when there is one pass.
-#}
{% macro contact_pass_where(pass_number, passes) %}
  {%- if passes <= 1 -%}
    {{ return('') }}
  {%- endif -%}
  {{- return("\n    where " ~ stable_bucket('contact_id') ~ " % " ~ passes ~ " = " ~ pass_number) -}}
{% endmacro %}
