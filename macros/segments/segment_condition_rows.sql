{#-
  The rows that explain membership, per segment of `plan`: each leaf condition of its
  rule, the whole rule, sendability and each audience control that is on (email
  audiences), and the membership before any holdout. A list of {segment_condition_id
  (segment_name|condition_path), segment_name, condition_path, condition_text, sql,
  expression_index}; `expressions` lists each distinct SQL once, so that a condition
  shared by many segments (days_since_created <= 13) is evaluated once per person and
  the explanation's SQL stays short (docs/segments.md "Why is a contact in a segment").
-#}
{% macro segment_condition_rows(plan) %}
  {%- set controls = audience_control_settings() -%}
  {%- set rows = [] -%}
  {%- set expressions = [] -%}
  {%- for segment in plan.segments -%}
    {%- set conditions = [] -%}
    {%- for leaf in segment.leaves -%}
      {%- do conditions.append((leaf.path, leaf.text, leaf.sql)) -%}
    {%- endfor -%}
    {%- do conditions.append(('whole_rule', 'the whole rule', segment.rule_sql)) -%}
    {%- if segment.email_audience -%}
      {%- do conditions.append(('email_audience', 'is_email_sendable = true', 'base.is_email_sendable')) -%}
      {%- if controls.global_control_pct > 0 -%}
        {%- do conditions.append(('global_control', 'not in the global control group', 'not base.is_global_control')) -%}
      {%- endif -%}
      {%- if controls.frequency_cap -%}
        {%- do conditions.append(('frequency_cap', 'fewer than ' ~ controls.frequency_cap.emails
            ~ ' emails delivered in the last ' ~ controls.frequency_cap.days ~ ' days',
            'not base.is_frequency_capped')) -%}
      {%- endif -%}
    {%- endif -%}
    {%- do conditions.append(('membership', 'member of ' ~ segment.name ~ ' (before any holdout)', segment.member_sql)) -%}
    {%- for path, text, sql in conditions -%}
      {%- if sql not in expressions -%}
        {%- do expressions.append(sql) -%}
      {%- endif -%}
      {%- do rows.append({'segment_condition_id': segment.name ~ '|' ~ path, 'segment_name': segment.name,
          'condition_path': path, 'condition_text': text, 'sql': sql,
          'expression_index': expressions.index(sql)}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return({'rows': rows, 'expressions': expressions}) }}
{% endmacro %}
