{#-
  A compiled rule {sql, leaves, events} from its SQL and its compiled parts:
  the parts' leaves and event conditions, in order.
-#}
{% macro segment_compiled(sql, parts) %}
  {%- set leaves = [] -%}
  {%- set events = [] -%}
  {%- for part in parts -%}
    {%- do leaves.extend(part.leaves) -%}
    {%- do events.extend(part.events) -%}
  {%- endfor -%}
  {{ return({'sql': sql, 'leaves': leaves, 'events': events}) }}
{% endmacro %}
