{#- The run's start (dbt's clock, UTC) as a SQL timestamp literal: one "now" per build. -#}
{% macro run_started_at_sql() %}
  {{- "cast('" ~ run_started_at.astimezone(modules.pytz.utc).strftime('%Y-%m-%d %H:%M:%S') ~ "' as "
      ~ dbt.type_timestamp() ~ ")" -}}
{% endmacro %}
