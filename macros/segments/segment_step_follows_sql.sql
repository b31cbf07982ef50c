{#-
  The condition for a sequence step's event to follow its anchor (the last
  positive step before it): the same person, at or after the anchor's moment,
  not an event of the chain so far, and within `hours` of the anchor when the
  step has a time (its end included). `step` and `anchor`: the aliases of their
  relations; `chain`: the SQL of the chain's event_row_ids.
-#}
{% macro segment_step_follows_sql(step, anchor, chain, hours) %}
  {%- set conditions = [anchor ~ '.contact_id = ' ~ step ~ '.contact_id',
                        step ~ '.occurred_at >= ' ~ anchor ~ '.occurred_at',
                        step ~ '.event_row_id not in (' ~ chain | join(', ') ~ ')'] -%}
  {%- if hours is not none -%}
    {%- do conditions.append(step ~ '.occurred_at <= ' ~ dbt.dateadd('hour', hours, anchor ~ '.occurred_at')) -%}
  {%- endif -%}
  {{ return(conditions | join(' and ')) }}
{% endmacro %}
