{#- docs/activity.md: a device type of the device_types var as it is, anything else as 'other'. -#}
{% macro device_category_sql(device_column) %}
  {{- return("case when " ~ device_column ~ " in ('" ~ var('device_types') | join("', '") ~ "') then "
      ~ device_column ~ " else 'other' end") -}}
{% endmacro %}
