{#-
  The `state_merge` incremental strategy of the per-contact state models: the
  rows of the new version replace the rows of the same unique key, compared
  null-safely (a null category or message key is a key like any other), then
  are inserted. The persons recomputed in full were already emptied by the
  model's pre-hook (clear_rebuilt_state).
-#}
{% macro get_incremental_state_merge_sql(arg_dict) %}
  {%- set target = arg_dict['target_relation'] -%}
  {%- set source = arg_dict['temp_relation'] -%}
  {%- set keys = arg_dict['unique_key'] -%}
  {%- set keys = [keys] if keys is string else keys -%}
  {%- set matches = [] -%}
  {%- for key in keys -%}
    {%- do matches.append("target." ~ key ~ " is not distinct from source." ~ key) -%}
  {%- endfor -%}
  {%- set columns = arg_dict['dest_columns'] | map(attribute='name') | join(', ') -%}
  delete from {{ target }} as target
  where exists (select 1 from {{ source }} as source where {{ matches | join(' and ') }});
  insert into {{ target }} ({{ columns }}) select {{ columns }} from {{ source }}
{% endmacro %}
