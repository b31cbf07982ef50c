{#-
  The point in time every metric is computed as of (SPEC "Time"). `as_of` is a
  YYYY-MM-DD day; null means today in UTC. Events count while
  `occurred_at < as_of + 1 day`, so the boundary is rendered as a literal and
  no engine-specific date math is needed.
-#}
{% macro as_of_date() %}
  {% set raw = var('as_of', none) %}
  {% if raw is none or raw == '' %}
    {{ return(run_started_at.astimezone(modules.pytz.utc).date()) }}
  {% endif %}
  {% set text = raw | string %}
  {% if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) %}
    {{ exceptions.raise_compiler_error("as_of must be a YYYY-MM-DD date, got '" ~ text ~ "'") }}
  {% endif %}
  {{ return(modules.datetime.datetime.strptime(text, '%Y-%m-%d').date()) }}
{% endmacro %}

{% macro as_of_date_sql() %}
  {{- "cast('" ~ as_of_date().isoformat() ~ "' as date)" -}}
{% endmacro %}

{#- The exclusive end of the as_of day: events strictly before it count. -#}
{% macro as_of_end_sql() %}
  {%- set end = as_of_date() + modules.datetime.timedelta(days=1) -%}
  {{- "cast('" ~ end.isoformat() ~ " 00:00:00' as timestamp)" -}}
{% endmacro %}

{#- The start of a trailing window of `days` days that ends with the as_of day. -#}
{% macro window_start_sql(days) %}
  {%- set start = as_of_date() + modules.datetime.timedelta(days=1 - (days | int)) -%}
  {{- "cast('" ~ start.isoformat() ~ " 00:00:00' as timestamp)" -}}
{% endmacro %}
