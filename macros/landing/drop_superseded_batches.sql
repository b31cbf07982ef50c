{#-
  Pre-hook of the staging models: delete the rows of batch registrations that a
  later one replaced (a reprocessed file, a whole table read again), so that
  each batch is staged once, as it is now.
-#}
{% macro drop_superseded_batches(relation) %}
  {%- if not execute or not is_incremental() -%}
    {{ return('') }}
  {%- endif -%}
  {{ return(adapter.dispatch('drop_superseded_batches', 'contact_segmentation')(relation)) }}
{% endmacro %}

{% macro default__drop_superseded_batches(relation) %}
  {{ return("delete from " ~ relation ~ " where load_batch_number in (" ~ superseded_batches_sql() ~ ")") }}
{% endmacro %}

{#-
  Plain Spark tables cannot delete rows, but the staged events are partitioned
  by load batch (load_batch_partitions): a replaced batch's partition is
  dropped, here and now; the hook itself is then empty.
-#}
{% macro spark__drop_superseded_batches(relation) %}
  {%- set superseded = run_query("select distinct load_batch_number from " ~ relation ~ " where load_batch_number in ("
      ~ superseded_batches_sql() ~ ") order by 1").columns[0].values() -%}
  {%- for number in superseded -%}
    {%- do run_query("alter table " ~ relation ~ " drop if exists partition (load_batch_number = " ~ number ~ ")") -%}
  {%- endfor -%}
  {{ return('') }}
{% endmacro %}
