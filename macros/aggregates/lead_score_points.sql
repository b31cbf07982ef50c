{#- Points of one event type from the lead_score_points var; other types score 0. -#}
{% macro lead_score_points(event_type_column) %}
  {%- set points = var('lead_score_points') -%}
  {%- if points is not mapping -%}
    {{ exceptions.raise_compiler_error("lead_score_points must map event types to numbers, got " ~ points) }}
  {%- endif -%}
  case {{ event_type_column }}
  {%- for event_type, value in points.items() %}
    when '{{ event_type }}' then {{ value | float }}
  {%- endfor %}
    else 0
  end
{%- endmacro %}
