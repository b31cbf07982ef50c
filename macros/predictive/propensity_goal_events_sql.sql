{#-
  The moments each contact reached the propensity goal: `purchase` is a counted
  order (as RFM and lift count orders); any other goal is {event, where} (or an
  event type alone), matched as a segment's event condition (segment_event_filter).
-#}
{% macro propensity_goal_events_sql(goal) %}
  {%- if goal == 'purchase' -%}
    {{- return("select contact_id, ordered_at as reached_at from " ~ ref('int_orders_netted')
               ~ " where is_counted") -}}
  {%- endif -%}
  {%- set rule = {'event': goal} if goal is string else goal -%}
  {%- if rule is not mapping or 'event' not in rule -%}
    {{ exceptions.raise_compiler_error("propensity_goal must be purchase, an event type or {event: <type>, where: "
        ~ "[...]}, got " ~ tojson(goal)) }}
  {%- endif -%}
  {%- set matched = segment_event_filter(rule, {'var': 'propensity_goal'}, 'propensity_goal') -%}
  {{- return("select contact_id, occurred_at as reached_at from " ~ ref('int_events_resolved')
             ~ " where " ~ matched.filters | join(' and ')) -}}
{% endmacro %}
