{#- Stop compilation with a message that names the segment (and where in its rule). -#}
{% macro segment_error(segment_name, message) %}
  {{ exceptions.raise_compiler_error("segment '" ~ segment_name ~ "': " ~ message
      ~ " (edit models/marts/segments/_segments__models.yml)") }}
{% endmacro %}
