{#-
  docs/engagement.md: deliveries are email_delivered events, or email_sent events
  when the kept events of any date hold no email_delivered at all (a platform
  that does not report deliveries). A SQL scalar subquery: true when sends stand in.
-#}
{% macro sends_stand_in_for_deliveries_sql() %}
  {{- return("(select count(*) = 0 from (select 1 as found from " ~ ref('stg_marketing__events') ~ " as staged"
      ~ " where staged.source_event_type in (select mappings.source_event_type from " ~ ref('event_type_mappings')
      ~ " as mappings where mappings.event_type = 'email_delivered')"
      ~ " and staged.event_row_id not in (select dropped.event_row_id from " ~ ref('int_events_dropped')
      ~ " as dropped) limit 1) as deliveries)") -}}
{% endmacro %}
