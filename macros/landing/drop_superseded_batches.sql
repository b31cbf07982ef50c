{#-
  Pre-hook of the staging models: delete the rows of batch registrations that a
  later one replaced (a reprocessed file, a whole table read again), so that
  each batch is staged once, as it is now.
-#}
{% macro drop_superseded_batches(relation) %}
  {%- if not execute or not is_incremental() -%}
    {{ return('') }}
  {%- endif -%}
  {{ return("delete from " ~ relation ~ " where load_batch_number in (" ~ superseded_batches_sql() ~ ")") }}
{% endmacro %}
