{#-
  A from-clause suffix that turns each row of the relation before it into one row per
  pair of `pairs` (a list of (key SQL, value SQL), the values may name its columns),
  as the columns `key_column` and `value_column` of `alias`. Shorter than a union of
  one select per pair, which matters where a view's text is bounded (Spark's Derby
  metastore: 32,700 characters).
-#}
{% macro unpivot_join(pairs, alias, key_column, value_column) %}
  {{- return(adapter.dispatch('unpivot_join', 'contact_segmentation')(pairs, alias, key_column, value_column)) -}}
{% endmacro %}

{% macro default__unpivot_join(pairs, alias, key_column, value_column) %}
  {%- set values = [] -%}
  {%- for key, value in pairs -%}
    {%- do values.append('(' ~ key ~ ', ' ~ value ~ ')') -%}
  {%- endfor -%}
  {{- 'cross join lateral (values ' ~ values | join(', ') ~ ') as ' ~ alias
      ~ ' (' ~ key_column ~ ', ' ~ value_column ~ ')' -}}
{% endmacro %}

{% macro spark__unpivot_join(pairs, alias, key_column, value_column) %}
  {%- set arguments = [] -%}
  {%- for key, value in pairs -%}
    {%- do arguments.append(key ~ ', ' ~ value) -%}
  {%- endfor -%}
  {{- 'lateral view stack(' ~ pairs | length ~ ', ' ~ arguments | join(', ') ~ ') ' ~ alias
      ~ ' as ' ~ key_column ~ ', ' ~ value_column -}}
{% endmacro %}
