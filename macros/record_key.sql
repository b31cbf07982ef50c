{#- The record key of a raw row: its fingerprint and its occurrence number among exact copies. -#}
{% macro record_key(fingerprint_column) %}
  {{- fingerprint_column ~ " || '-' || cast(row_number() over (partition by " ~ fingerprint_column
      ~ " order by " ~ fingerprint_column ~ ") as " ~ dbt.type_string() ~ ")" -}}
{% endmacro %}
