{#- How many days of per-day state are kept: the longest window a feature reads from it. -#}
{% macro state_window_days() %}
  {{- return([var('preferred_device_days') | int, var('preferred_open_days') | int,
             var('traffic_channel_days') | int, var('interest_days') | int] | max) -}}
{% endmacro %}
