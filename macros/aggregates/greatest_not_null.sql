{#- The later/larger of two values, ignoring nulls (engines disagree on greatest() with nulls). -#}
{% macro greatest_not_null(left, right) %}
  {{- "case when " ~ left ~ " is null then " ~ right ~ " when " ~ right ~ " is null then " ~ left
      ~ " when " ~ left ~ " >= " ~ right ~ " then " ~ left ~ " else " ~ right ~ " end" -}}
{% endmacro %}
