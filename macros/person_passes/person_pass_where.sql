{#-
  The condition that keeps the rows of this pass's persons, for a model built in
  passes over the persons (person_passes): `hash(<person_column>) % passes` equal
  to the pass the hooks set (a DuckDB variable named after the model, 0 for the
  model's own statement). 'true' when the model is built in one pass. Every
  import of the model that holds per-person rows takes it, on the same person
  column, so that the passes split the persons and no person is in two.
    person_column: the column holding the person (the canonical contact_id)
-#}
{% macro person_pass_where(person_column='contact_id') %}
  {%- set passes = person_passes() -%}
  {%- if passes <= 1 -%}
    {{ return('true') }}
  {%- endif -%}
  {{- return("hash(" ~ person_column ~ ") % " ~ passes ~ " = getvariable('" ~ person_pass_variable() ~ "')") -}}
{% endmacro %}

{#- The name of the DuckDB variable holding this model's pass (its passes count: `<name>_count`). -#}
{% macro person_pass_variable() %}
  {{- return("person_pass__" ~ this.identifier) -}}
{% endmacro %}
