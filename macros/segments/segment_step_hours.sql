{#- A sequence step's time after the previous step in hours (then_within_hours or then_within_days x 24), or none. -#}
{% macro segment_step_hours(step, segment_name, path) %}
  {%- if 'then_within_hours' in step and 'then_within_days' in step -%}
    {{ segment_error(segment_name, path ~ " has both then_within_hours and then_within_days; keep one") }}
  {%- endif -%}
  {%- set unit = 'hours' if 'then_within_hours' in step else 'days' -%}
  {%- set value = step.get('then_within_' ~ unit) -%}
  {%- if value is none -%}
    {{ return(none) }}
  {%- endif -%}
  {%- if value is not number or value is sameas true or value is sameas false or value != value | int or value < 1 -%}
    {{ segment_error(segment_name, path ~ ".then_within_" ~ unit ~ " must be a whole number of at least 1") }}
  {%- endif -%}
  {{ return(value | int * (1 if unit == 'hours' else 24)) }}
{% endmacro %}
