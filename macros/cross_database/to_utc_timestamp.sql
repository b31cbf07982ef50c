{#-
  Parse a source timestamp into a naive UTC timestamp (docs/time.md): one with an
  offset is converted, a naive one is taken as UTC, an unparseable one is null.
  Requires the session time zone to be UTC (profiles.yml sets it).
-#}
{% macro to_utc_timestamp(expression) %}
  {{- return(adapter.dispatch('to_utc_timestamp', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__to_utc_timestamp(expression) %}
  {{- "cast(" ~ cast_or_null(expression, dbt.type_timestamp()) ~ " as " ~ dbt.type_timestamp() ~ ")" -}}
{% endmacro %}

{% macro duckdb__to_utc_timestamp(expression) %}
  {{- "cast(timezone('UTC', try_cast(" ~ expression ~ " as timestamptz)) as timestamp)" -}}
{% endmacro %}

{% macro postgres__to_utc_timestamp(expression) %}
  {{- "(" ~ target.schema ~ ".try_cast_timestamptz(" ~ expression ~ ") at time zone 'UTC')" -}}
{% endmacro %}
