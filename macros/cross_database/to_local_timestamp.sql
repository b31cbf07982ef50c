{#-
  docs/time.md "Contact-local time": the wall-clock time in an IANA zone of a
  naive UTC timestamp, as a naive timestamp (daylight saving applied as the
  zone had it then). The zone must be a valid name (time_zones seed).
-#}
{% macro to_local_timestamp(utc_expression, zone_expression) %}
  {{- return(adapter.dispatch('to_local_timestamp', 'contact_segmentation')(utc_expression, zone_expression)) -}}
{% endmacro %}

{% macro default__to_local_timestamp(utc_expression, zone_expression) %}
  {{- "((" ~ utc_expression ~ ") at time zone 'UTC' at time zone (" ~ zone_expression ~ "))" -}}
{% endmacro %}

{% macro duckdb__to_local_timestamp(utc_expression, zone_expression) %}
  {#- A naive timestamp casts to timestamptz in the session zone, UTC (profiles.yml). -#}
  {{- "timezone(" ~ zone_expression ~ ", cast(" ~ utc_expression ~ " as timestamptz))" -}}
{% endmacro %}

{% macro spark__to_local_timestamp(utc_expression, zone_expression) %}
  {{- "from_utc_timestamp(" ~ utc_expression ~ ", " ~ zone_expression ~ ")" -}}
{% endmacro %}
