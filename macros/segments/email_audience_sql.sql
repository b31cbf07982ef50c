{#-
  The SQL condition a person of `relation` (an alias holding contact_features'
  columns) must meet to be in an email audience: sendable, and, when the
  controls are on, neither in the global control group nor frequency capped.
-#}
{% macro email_audience_sql(relation='base') %}
  {%- set settings = audience_control_settings() -%}
  {%- set parts = ['coalesce(' ~ relation ~ '.is_email_sendable, false)'] -%}
  {%- if settings.global_control_pct > 0 -%}
    {%- do parts.append('not coalesce(' ~ relation ~ '.is_global_control, false)') -%}
  {%- endif -%}
  {%- if settings.frequency_cap -%}
    {%- do parts.append('not coalesce(' ~ relation ~ '.is_frequency_capped, false)') -%}
  {%- endif -%}
  {{ return(parts | join(' and ')) }}
{% endmacro %}
