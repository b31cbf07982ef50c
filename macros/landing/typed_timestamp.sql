{#- A timestamp column that arrived typed, as a naive UTC timestamp (docs/time.md). -#}
{% macro typed_timestamp(expression, data_type) %}
  {{- return(adapter.dispatch('typed_timestamp', 'contact_segmentation')(expression, data_type)) -}}
{% endmacro %}

{% macro default__typed_timestamp(expression, data_type) %}
  {%- if 'with time zone' in data_type or data_type.startswith('timestamptz') -%}
    {{- "cast(" ~ expression ~ " at time zone 'UTC' as " ~ dbt.type_timestamp() ~ ")" -}}
  {%- else -%}
    {{- "cast(" ~ expression ~ " as " ~ dbt.type_timestamp() ~ ")" -}}
  {%- endif -%}
{% endmacro %}

{% macro duckdb__typed_timestamp(expression, data_type) %}
  {%- if 'with time zone' in data_type or data_type.startswith('timestamptz') -%}
    {{- "cast(timezone('UTC', " ~ expression ~ ") as timestamp)" -}}
  {%- else -%}
    {{- "cast(" ~ expression ~ " as timestamp)" -}}
  {%- endif -%}
{% endmacro %}
