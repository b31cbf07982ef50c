{#-
  The order of the valid copies of one event id (docs/landing.md "Duplicates"):
  the earliest occurred_at first, ties going to the smallest contact id, then
  the mapped event type; then by every other value, so that copies tie only
  when they are stored alike and the order they arrived in never decides which
  values are kept; last the row id, between copies that are alike.
-#}
{% macro event_copy_order() %}
  {%- set columns = ['occurred_at', 'contact_id', 'event_type', 'source_event_type', 'campaign_id', 'message_id',
                     'order_id', 'product_id', 'category', 'quantity', 'revenue', 'currency', 'device_type', 'url',
                     'utm_source', 'utm_medium', 'utm_campaign', 'bounce_type', 'is_machine_open', 'points',
                     'search_term'] -%}
  {{- return(columns | join(' asc nulls last, ') ~ ' asc nulls last, event_row_id asc') -}}
{% endmacro %}
