{#-
  contact_segments in long form: one row per membership of a segment's audience
  (holdout members are not in the audience), with `columns` of the relation and
  the segment. Generated from the segment file, so a new segment is tracked from
  its first build. `relation`: contact_segments, or a relation with its seg_<name>
  columns (segment_overlaps passes its combinations of memberships). `columns`:
  the relation's columns each row keeps (default: contact_id).
-#}
{% macro segment_memberships_sql(relation, columns=['contact_id']) %}
  {{- return(adapter.dispatch('segment_memberships_sql', 'contact_segmentation')(relation, columns)) -}}
{% endmacro %}

{% macro default__segment_memberships_sql(relation, columns) %}
  {%- set segments = segment_definitions() -%}
  {%- set kept = columns | join(', ') -%}
  {%- if not segments -%}
    {{ return("select " ~ kept ~ ", cast(null as " ~ dbt.type_string() ~ ") as segment from " ~ relation
        ~ " where false") }}
  {%- endif -%}
  {%- set parts = [] -%}
  {%- for segment in segments -%}
    {%- do parts.append("select " ~ kept ~ ", '" ~ segment.name ~ "' as segment from " ~ relation
        ~ " where seg_" ~ segment.name) -%}
  {%- endfor -%}
  {{ return(parts | join('\n    union all\n    ')) }}
{% endmacro %}

{#-
  On Spark, one read of the relation unpivoted (unpivot_join) rather than a select
  per segment: Spark has no materialized CTE, so a union over a CTE (segment_overlaps'
  combinations) computes it once per segment.
-#}
{% macro spark__segment_memberships_sql(relation, columns) %}
  {%- set segments = segment_definitions() -%}
  {%- if not segments -%}
    {{ return(default__segment_memberships_sql(relation, columns)) }}
  {%- endif -%}
  {%- set pairs = [] -%}
  {%- for segment in segments -%}
    {%- do pairs.append(("'" ~ segment.name ~ "'", "seg_" ~ segment.name)) -%}
  {%- endfor -%}
  {{ return("select " ~ columns | join(', ') ~ ", unpivoted.segment from " ~ relation ~ " "
      ~ unpivot_join(pairs, 'unpivoted', 'segment', 'is_member') ~ " where unpivoted.is_member") }}
{% endmacro %}
