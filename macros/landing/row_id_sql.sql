{#-
  The staged row's key: its batch number and its position in the batch packed
  into one bigint (batch * 2^32 + row), unique and stable once staged.
-#}
{% macro row_id_sql(batch_number='load_batch_number', row_number='batch_row_number') %}
  {{- "cast(" ~ batch_number ~ " as " ~ dbt.type_bigint() ~ ") * 4294967296 + " ~ row_number -}}
{% endmacro %}
