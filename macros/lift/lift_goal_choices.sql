{#-
  What a holdout or splits can be measured by (docs/segments.md "Lift"): purchase
  (a counted order) or one of the canonical event types of the var event_types.
-#}
{% macro lift_goal_choices() %}
  {{- return(['purchase'] + var('event_types')) -}}
{% endmacro %}
