{#-
  How base_marketing__events replaces the rows it judges again: delete the
  staged copies by event_record_key, insert the new ones. Engines whose tables
  cannot delete rows by key (Spark without Delta) override this.
-#}
{% macro events_incremental_strategy() %}
  {{- return(adapter.dispatch('events_incremental_strategy', 'contact_segmentation')()) -}}
{% endmacro %}

{% macro default__events_incremental_strategy() %}
  {{- return('delete+insert') -}}
{% endmacro %}
