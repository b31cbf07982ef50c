{#-
  SQL selecting the load_batch_number of every registration that a later one of
  the same batch replaced: a reprocessed file, a file registered as removed, or
  a whole table read again.
-#}
{% macro superseded_batches_sql() %}
  {%- set manifest = ref('stg_marketing__load_batches') -%}
  {{- return("select earlier.load_batch_number from " ~ manifest ~ " as earlier inner join " ~ manifest
      ~ " as later on earlier.raw_table = later.raw_table and earlier.batch_value = later.batch_value"
      ~ " and later.load_batch_number > earlier.load_batch_number") -}}
{% endmacro %}
