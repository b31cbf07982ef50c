{#-
  The mart's contract columns of the segments, in order: seg_<name> for each
  segment, followed by seg_<name>_holdout when it has a holdout_pct and
  seg_<name>_split (text: the member's split group) when it has splits. The one
  place that expands a segment into its columns. `segments`: the list from
  segment_definitions() (or a plan's segments).
-#}
{% macro segment_columns(segments) %}
  {%- set columns = [] -%}
  {%- for segment in segments -%}
    {%- do columns.append('seg_' ~ segment.name) -%}
    {%- if segment.holdout_pct is not none -%}
      {%- do columns.append('seg_' ~ segment.name ~ '_holdout') -%}
    {%- endif -%}
    {%- if segment.splits -%}
      {%- do columns.append('seg_' ~ segment.name ~ '_split') -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(columns) }}
{% endmacro %}
