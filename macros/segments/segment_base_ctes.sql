{#-
  The relations every segment rule reads, as CTEs ending in `base`: the
  contact_features row of each person plus one count per event condition,
  all event conditions counted in a single pass over the events. The relations
  default to the models; the draft preview passes the published ones.
-#}
{% macro segment_base_ctes(plan, features_relation=none, events_relation=none) %}
features as (
    select * from {{ features_relation if features_relation is not none else ref('contact_features') }}
),
{%- if plan.events %}

event_matches as (
    select
        contact_id,
        {%- for event in plan.events %}
            {{ count_where(event.sql) }} as {{ event.alias }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ events_relation if events_relation is not none else ref('int_events_resolved') }}
    where event_type in ('{{ plan.events | map(attribute='event_type') | unique | join("', '") }}')
    group by contact_id
),
{%- endif %}

base as (
    select
        features.*
        {%- for event in plan.events %},
            coalesce(event_matches.{{ event.alias }}, 0) as {{ event.alias }}
        {%- endfor %}
    from features
    {%- if plan.events %}
        left join event_matches on features.contact_id = event_matches.contact_id
    {%- endif %}
)
{%- endmacro %}
