{#-
  SQL of when a message of int_email_messages counts as delivered
  (docs/engagement.md): its last delivery, or its last send when sends stand in
  for deliveries (sends_stand_in_for_deliveries_sql). Read by the engagement
  windows and the frequency cap, so both count the same messages.
-#}
{% macro message_delivered_at_sql() %}
  {{- return("case when " ~ sends_stand_in_for_deliveries_sql() ~ " then last_sent_at else last_delivered_at end") -}}
{% endmacro %}
