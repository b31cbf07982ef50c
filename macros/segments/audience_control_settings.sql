{#-
  The audience-control vars, checked (docs/segments.md "Audience controls"):
  {global_control_pct: a number from 0 (no control group) to below 100,
  frequency_cap: {emails, days} with whole numbers of at least 1, or none}.
  A wrong value stops compilation with one line naming the var.
-#}
{% macro audience_control_settings() %}
  {%- set pct = var('global_control_pct', 0) -%}
  {%- if pct is not number or pct is sameas true or pct is sameas false or pct < 0 or pct >= 100 -%}
    {{ exceptions.raise_compiler_error("global_control_pct must be a number from 0 to below 100, not " ~ pct) }}
  {%- endif -%}
  {%- set cap = var('frequency_cap', {}) or {} -%}
  {%- if cap is not mapping or (cap and (cap.keys() | sort | list != ['days', 'emails']
      or cap.emails is not integer or cap.days is not integer or cap.emails < 1 or cap.days < 1)) -%}
    {{ exceptions.raise_compiler_error("frequency_cap must be {} (no cap) or {emails: N, days: D} with whole numbers"
        ~ " of at least 1, not " ~ cap) }}
  {%- endif -%}
  {{ return({'global_control_pct': pct, 'frequency_cap': cap or none}) }}
{% endmacro %}
