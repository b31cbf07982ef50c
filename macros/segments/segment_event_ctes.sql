{#-
  The CTEs that count every event condition of a plan per person, from
  `events`: `event_matches` (event counts and habits, one pass over the
  events) and each return's and sequence's own CTEs (segment_relation_ctes),
  each ending in a CTE with contact_id and its alias column. Returns
  {sql, sources}: the CTE definitions joined by commas (empty without event
  conditions), and for each condition's alias the CTE that holds it.
-#}
{% macro segment_event_ctes(plan, events) %}
  {%- set counted = plan.events | selectattr('kind', 'in', ['count', 'periods']) | list -%}
  {%- set parts = [] -%}
  {%- set sources = {} -%}
  {%- if counted -%}
    {%- set columns = [] -%}
    {%- for event in counted -%}
      {%- do columns.append(('count(distinct case when ' ~ event.sql ~ ' then ' ~ event.period ~ ' end)'
          if event.kind == 'periods' else count_where(event.sql)) ~ ' as ' ~ event.alias) -%}
      {%- do sources.update({event.alias: 'event_matches'}) -%}
    {%- endfor -%}
    {%- do parts.append('event_matches as (\n    select\n        contact_id,\n        '
        ~ columns | join(',\n        ') ~ '\n    from ' ~ events ~ "\n    where event_type in ('"
        ~ counted | map(attribute='event_type') | unique | join("', '") ~ "')\n    group by contact_id\n)") -%}
  {%- endif -%}
  {%- for event in plan.events if event.kind in ['return', 'sequence'] -%}
    {%- do parts.append(segment_relation_ctes(event, events) | trim) -%}
    {%- do sources.update({event.alias: event.alias}) -%}
  {%- endfor -%}
  {{ return({'sql': parts | join(',\n\n'), 'sources': sources}) }}
{% endmacro %}
