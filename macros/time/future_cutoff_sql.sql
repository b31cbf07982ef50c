{#-
  Events more than a day after the build's wall-clock time are rejected as
  future_timestamp (docs/landing.md). The clock is dbt's run start, so one build
  sees one "now".
-#}
{% macro future_cutoff_sql() %}
  {%- set cutoff = run_started_at.astimezone(modules.pytz.utc).replace(tzinfo=none)
                   + modules.datetime.timedelta(days=1) -%}
  {{- "cast('" ~ cutoff.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -}}
{% endmacro %}
