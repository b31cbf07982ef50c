{#-
  Stop compilation with a message that names the segment (and where in its
  rule), the trait when `segment_name` is {trait: <name>}, or the var when it is
  {var: <name>}: the event conditions of traits and of the propensity goal are
  checked by the segment compiler's own macros.
-#}
{% macro segment_error(segment_name, message) %}
  {%- if segment_name is mapping and 'var' in segment_name -%}
    {{ exceptions.raise_compiler_error("var '" ~ segment_name.var ~ "': " ~ message ~ " (edit dbt_project.yml or --vars)") }}
  {%- endif -%}
  {%- if segment_name is mapping -%}
    {{ exceptions.raise_compiler_error("trait '" ~ segment_name.trait ~ "': " ~ message
        ~ " (edit the traits in the properties of the " ~ var('trait_file_model') ~ " model)") }}
  {%- endif -%}
  {{ exceptions.raise_compiler_error("segment '" ~ segment_name ~ "': " ~ message
      ~ " (edit models/marts/segments/_segments__models.yml)") }}
{% endmacro %}
