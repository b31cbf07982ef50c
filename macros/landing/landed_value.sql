{#-
  The cleaned, typed value of one landing column (docs/landing.md), whatever
  type it arrived with. `kind` is the column's kind in the landing contract;
  `columns` is landing_columns(table). Text is trimmed (empty = null) and
  parsed; a column already typed (Parquet, warehouse tables) is used as it is,
  without a round trip through text, so both give the same value. A column
  that did not arrive is null.
-#}
{% macro landed_value(column, kind, columns) %}
  {%- set data_type = columns.get(column) -%}
  {%- set targets = {'text': dbt.type_string(), 'code': dbt.type_string(), 'upper_code': dbt.type_string(),
                     'email': dbt.type_string(), 'timestamp': dbt.type_timestamp(), 'date': 'date',
                     'integer': dbt.type_int(), 'decimal': 'decimal(18, 2)', 'rate': 'decimal(18, 10)',
                     'boolean': dbt.type_boolean()} -%}
  {%- if data_type is none -%}
    {{ return("cast(null as " ~ targets[kind] ~ ")") }}
  {%- endif -%}
  {%- set is_text = data_type.startswith(('varchar', 'text', 'string', 'char')) -%}
  {%- set quoted = adapter.quote(column) -%}
  {%- if kind == 'text' -%}
    {{ return(clean_text(quoted)) }}
  {%- elif kind == 'code' -%}
    {{ return(clean_code(quoted)) }}
  {%- elif kind == 'upper_code' -%}
    {{ return("upper(" ~ clean_text(quoted) ~ ")") }}
  {%- elif kind == 'email' -%}
    {{ return(normalize_email(quoted)) }}
  {%- elif not is_text and kind == 'timestamp' -%}
    {{ return(typed_timestamp(quoted, data_type)) }}
  {%- elif not is_text and kind == 'boolean' -%}
    {{ return(quoted if data_type.startswith('bool') else parse_boolean(quoted)) }}
  {%- elif not is_text -%}
    {{ return("cast(" ~ quoted ~ " as " ~ targets[kind] ~ ")") }}
  {%- elif kind == 'timestamp' -%}
    {{ return(to_utc_timestamp(clean_text(quoted))) }}
  {%- elif kind == 'boolean' -%}
    {{ return(parse_boolean(quoted)) }}
  {%- else -%}
    {{ return(cast_or_null(clean_text(quoted), targets[kind])) }}
  {%- endif -%}
{% endmacro %}

{#- True when a text value is given but does not parse as its kind (never for typed columns). -#}
{% macro landed_value_unparsed(column, kind, columns) %}
  {%- set data_type = columns.get(column) -%}
  {%- if data_type is none or not data_type.startswith(('varchar', 'text', 'string', 'char'))
        or kind in ['text', 'code', 'upper_code', 'email'] -%}
    {{ return('false') }}
  {%- endif -%}
  {{ return("(" ~ clean_text(adapter.quote(column)) ~ " is not null and " ~ landed_value(column, kind, columns)
      ~ " is null)") }}
{% endmacro %}
