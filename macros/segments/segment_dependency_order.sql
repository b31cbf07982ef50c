{#-
  The segments in an order where every referenced segment comes first (a
  depth-first topological sort). An unknown reference or a cycle stops
  compilation with the path that closes it.
-#}
{% macro segment_dependency_order(segments) %}
  {%- set by_name = {} -%}
  {%- for segment in segments -%}
    {%- do by_name.update({segment.name: segment}) -%}
  {%- endfor -%}
  {%- set ordered = [] -%}
  {%- for segment in segments -%}
    {%- do segment_visit(segment.name, by_name, ordered, []) -%}
  {%- endfor -%}
  {{ return(ordered) }}
{% endmacro %}

{% macro segment_visit(name, by_name, ordered, trail) %}
  {%- if name in ordered -%}
    {{ return(none) }}
  {%- endif -%}
  {%- if name in trail -%}
    {{ segment_error(trail[0], "references form a cycle: " ~ (trail + [name]) | join(' -> ')) }}
  {%- endif -%}
  {%- for reference in segment_references(by_name[name].rule) -%}
    {%- if reference not in by_name -%}
      {{ segment_error(name, "references unknown segment '" ~ reference ~ "'") }}
    {%- endif -%}
    {%- do segment_visit(reference, by_name, ordered, trail + [name]) -%}
  {%- endfor -%}
  {%- do ordered.append(name) -%}
{% endmacro %}
