{#- Number of rows where `condition` holds: a bigint on every engine, 0 (not null) on no rows. -#}
{% macro count_where(condition) %}
  {{- "cast(coalesce(sum(case when " ~ condition ~ " then 1 else 0 end), 0) as " ~ dbt.type_bigint() ~ ")" -}}
{% endmacro %}
