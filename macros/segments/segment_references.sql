{#- Names of the segments a rule references (its direct dependencies). -#}
{% macro segment_references(rule) %}
  {%- set found = [] -%}
  {%- if rule is mapping -%}
    {%- if rule.get('segment') is string -%}
      {%- do found.append(rule['segment']) -%}
    {%- endif -%}
    {%- for key in ['all', 'any'] -%}
      {%- if rule.get(key) is iterable and rule.get(key) is not string and rule.get(key) is not mapping -%}
        {%- for item in rule[key] -%}
          {%- do found.extend(segment_references(item)) -%}
        {%- endfor -%}
      {%- endif -%}
    {%- endfor -%}
    {%- if rule.get('not') is mapping -%}
      {%- do found.extend(segment_references(rule['not'])) -%}
    {%- endif -%}
  {%- endif -%}
  {{ return(found) }}
{% endmacro %}
