{#-
  The lift vars, checked (docs/segments.md "Lift"): returns {window_days,
  confidence_level, z (the normal quantile of the two-sided interval), alpha,
  months, segments}: the segments with a holdout or splits, each with its goal
  (its lift_goal in the segment file, else the var lift_goal: `purchase` or a
  canonical event type). A wrong value stops compilation with one line naming
  the var.
-#}
{% macro lift_settings() %}
  {%- set quantiles = {0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004} -%}
  {%- set level = var('lift_confidence_level', 0.95) -%}
  {%- if level not in quantiles -%}
    {{ exceptions.raise_compiler_error("lift_confidence_level must be 0.90, 0.95 or 0.99, not " ~ level) }}
  {%- endif -%}
  {%- for name in ['lift_window_days', 'global_lift_months'] -%}
    {%- if var(name) is not integer or var(name) is sameas true or var(name) < 1 -%}
      {{ exceptions.raise_compiler_error(name ~ " must be a whole number of at least 1, not " ~ var(name)) }}
    {%- endif -%}
  {%- endfor -%}
  {%- if var('lift_goal') not in lift_goal_choices() -%}
    {{ exceptions.raise_compiler_error("lift_goal must be purchase or an event type ("
        ~ var('event_types') | join(', ') ~ "), not " ~ var('lift_goal')) }}
  {%- endif -%}
  {%- set experiments = [] -%}
  {%- for segment in segment_definitions() if segment.holdout_pct is not none or segment.splits -%}
    {%- do segment.update({'goal': segment.lift_goal or var('lift_goal')}) -%}
    {%- do experiments.append(segment) -%}
  {%- endfor -%}
  {{ return({'window_days': var('lift_window_days'), 'confidence_level': level, 'z': quantiles[level],
             'alpha': (1 - level) | round(2), 'months': var('global_lift_months'), 'segments': experiments}) }}
{% endmacro %}
