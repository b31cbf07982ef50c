{#-
  A select of the comparisons segment_lift reports, one row (segment,
  group_name, reference_group, goal) each: every split group, or the treatment
  (the audience) when there are no splits, against the holdout; a segment with
  splits and no holdout compares its other groups with its first split group.
  `segments`: lift_settings().segments.
-#}
{% macro lift_groups_sql(segments) %}
  {%- set selects = [] -%}
  {%- for segment in segments -%}
    {%- set groups = segment.splits | map(attribute='name') | list if segment.splits else ['treatment'] -%}
    {%- set reference = 'holdout' if segment.holdout_pct is not none else groups[0] -%}
    {%- for group in groups if group != reference -%}
      {%- do selects.append("select '" ~ segment.name ~ "' as segment, '" ~ group ~ "' as group_name, '"
          ~ reference ~ "' as reference_group, '" ~ segment.goal ~ "' as goal") -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- if not selects -%}
    {%- set text = "cast(null as " ~ dbt.type_string() ~ ")" -%}
    {{ return("select " ~ text ~ " as segment, " ~ text ~ " as group_name, " ~ text ~ " as reference_group, "
        ~ text ~ " as goal where false") }}
  {%- endif -%}
  {{ return(selects | join('\n    union all\n    ')) }}
{% endmacro %}
