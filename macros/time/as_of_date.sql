{#-
  The day every metric is computed as of (docs/time.md), as a date. It is the
  `as_of` var; without it, the SEGMENTS_AS_OF environment variable; without
  either, today in UTC. The environment variable is read only when models run,
  never while dbt parses, so a scheduler can move the day without making dbt
  re-parse the project (a changed --vars does). While parsing it returns today.
-#}
{% macro as_of_date() %}
  {%- set raw = var('as_of', none) -%}
  {%- if (raw is none or raw == '') and execute -%}
    {%- set raw = env_var('SEGMENTS_AS_OF', '') -%}
  {%- endif -%}
  {%- if raw is none or raw == '' -%}
    {{ return(run_started_at.astimezone(modules.pytz.utc).date()) }}
  {%- endif -%}
  {%- set text = raw | string -%}
  {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
    {{ exceptions.raise_compiler_error("as_of must be a YYYY-MM-DD date, got '" ~ text ~ "'") }}
  {%- endif -%}
  {{ return(modules.datetime.datetime.strptime(text, '%Y-%m-%d').date()) }}
{% endmacro %}
