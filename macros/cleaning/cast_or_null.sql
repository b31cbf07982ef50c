{#- A cast that yields null instead of failing on a value of the wrong shape. -#}
{% macro cast_or_null(expression, data_type) %}
  {{- return(adapter.dispatch('cast_or_null', 'contact_segmentation')(expression, data_type)) -}}
{% endmacro %}

{% macro default__cast_or_null(expression, data_type) %}
  {{- "try_cast(" ~ expression ~ " as " ~ data_type ~ ")" -}}
{% endmacro %}

{#- PostgreSQL has no try_cast: the try_cast_* functions of create_engine_functions() stand in. -#}
{% macro postgres__cast_or_null(expression, data_type) %}
  {%- set base_type = data_type.split('(')[0] | trim | lower -%}
  {%- if base_type in ('decimal', 'numeric') -%}
    {{- "cast(" ~ target.schema ~ ".try_cast_numeric(cast(" ~ expression ~ " as text)) as " ~ data_type ~ ")" -}}
  {%- elif base_type in ('int', 'integer', 'bigint') -%}
    {{- "cast(" ~ target.schema ~ ".try_cast_integer(cast(" ~ expression ~ " as text)) as " ~ data_type ~ ")" -}}
  {%- elif base_type == 'date' -%}
    {{- target.schema ~ ".try_cast_date(cast(" ~ expression ~ " as text))" -}}
  {%- elif base_type.startswith('timestamp') -%}
    {{- "cast(" ~ target.schema ~ ".try_cast_timestamptz(cast(" ~ expression ~ " as text)) at time zone 'UTC' as timestamp)" -}}
  {%- else -%}
    {{- "cast(" ~ expression ~ " as " ~ data_type ~ ")" -}}
  {%- endif -%}
{% endmacro %}
