{#-
  The `state_replace` incremental strategy: the new rows replace the table's.
  For a model that reads its own previous rows ({{ this }}) and writes all of
  them anew (int_state_person_ids): incremental rather than a table so that
  every engine can read the table while writing its replacement (Spark's table
  materialization drops the table before it builds the new one).
-#}
{% macro get_incremental_state_replace_sql(arg_dict) %}
  {%- set columns = arg_dict['dest_columns'] | map(attribute='name') | join(', ') -%}
  delete from {{ arg_dict['target_relation'] }};
  insert into {{ arg_dict['target_relation'] }} ({{ columns }}) select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
