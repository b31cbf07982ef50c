{#-
  A deterministic hash of all of a raw row's values. Raw rows have no unique key
  of their own (ids repeat or are missing); exact copies share a fingerprint and
  are told apart by their occurrence number, which is stable because the copies
  are indistinguishable. One concat_ws call, not a chain of ||: on DuckDB the
  chain built every intermediate string and cost twice the hash itself.
-#}
{% macro row_fingerprint(columns) %}
  {%- set parts = [] -%}
  {%- for column in columns -%}
    {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
  {%- endfor -%}
  {{- dbt.hash("concat_ws('|', " ~ parts | join(", ") ~ ")") -}}
{% endmacro %}
