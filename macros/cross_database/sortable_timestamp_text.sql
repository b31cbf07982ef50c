{#-
  A timestamp as fixed-width text, 'YYYY-MM-DD HH:MM:SS.ffffff', whose text order
  is the time order on every engine: min() or max() of it followed by more text
  keeps the earliest or latest row's text (touch_key).
-#}
{% macro sortable_timestamp_text(timestamp) %}
  {{- return(adapter.dispatch('sortable_timestamp_text', 'contact_segmentation')(timestamp)) -}}
{% endmacro %}

{% macro default__sortable_timestamp_text(timestamp) %}
  {{- "strftime(" ~ timestamp ~ ", '%Y-%m-%d %H:%M:%S.%f')" -}}
{% endmacro %}

{% macro postgres__sortable_timestamp_text(timestamp) %}
  {{- "to_char(" ~ timestamp ~ ", 'YYYY-MM-DD HH24:MI:SS.US')" -}}
{% endmacro %}

{% macro spark__sortable_timestamp_text(timestamp) %}
  {{- "date_format(" ~ timestamp ~ ", 'yyyy-MM-dd HH:mm:ss.SSSSSS')" -}}
{% endmacro %}
