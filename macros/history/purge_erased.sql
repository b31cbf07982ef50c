{#-
  Removes every row of an erased contact from a history relation (segment
  history, the SCD2 snapshot). Used as a hook; returns the SQL to run.
-#}
{% macro purge_erased(relation) %}
  {{- return(adapter.dispatch('purge_erased', 'contact_segmentation')(relation)) -}}
{% endmacro %}

{% macro default__purge_erased(relation) %}
  {{- return("delete from " ~ relation ~ " where contact_id in (select contact_id from "
             ~ ref('int_erased_contacts') ~ ")") -}}
{% endmacro %}

{#-
  Plain Spark tables cannot delete rows: when an erased contact is present, the
  table is rewritten without them (spark_rewrite_table) in the model's file format,
  here and now; the hook itself is then empty.
-#}
{% macro spark__purge_erased(relation) %}
  {% if not execute %}
    {{ return('') }}
  {% endif %}
  {% set erased = ref('int_erased_contacts') %}
  {% set found = run_query("select count(*) from " ~ relation ~ " where contact_id in (select contact_id from "
                           ~ erased ~ ")").columns[0].values()[0] %}
  {% if found > 0 %}
    {% do spark_rewrite_table(relation, "select * from " ~ relation ~ " where contact_id not in (select contact_id from "
                              ~ erased ~ ")", config.get('partition_by'), config.get('file_format') or 'parquet') %}
  {% endif %}
  {{ return('') }}
{% endmacro %}
