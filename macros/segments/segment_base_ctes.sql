{#-
  The relations every segment rule reads, as CTEs ending in `base`: the
  contact_features row of each person, its traits (contact_traits), plus one
  value per event condition. Event
  counts and habits are counted in a single pass over the events; each return
  and sequence has its own CTEs (segment_relation_ctes). The relations default
  to the models; the draft preview passes the published ones.
-#}
{% macro segment_base_ctes(plan, features_relation=none, events_relation=none, traits_relation=none) %}
{%- set events = events_relation if events_relation is not none else ref('int_events_resolved') -%}
{%- set counted = plan.events | selectattr('kind', 'in', ['count', 'periods']) | list -%}
{%- set related = plan.events | selectattr('kind', 'in', ['return', 'sequence']) | list -%}
{%- set traits = plan.get('traits', []) -%}
features as (
    select
        features.*
        {%- for trait in traits %},
            traits.{{ trait }}
        {%- endfor %}
    from {{ features_relation if features_relation is not none else ref('contact_features') }} as features
    {%- if traits %}
        left join {{ traits_relation if traits_relation is not none else ref('contact_traits') }} as traits
            on features.contact_id = traits.contact_id
    {%- endif %}
),
{%- if counted %}

event_matches as (
    select
        contact_id,
        {%- for event in counted %}
            {%- if event.kind == 'periods' %}
            count(distinct case when {{ event.sql }} then {{ event.period }} end) as {{ event.alias }}
            {%- else %}
            {{ count_where(event.sql) }} as {{ event.alias }}
            {%- endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ events }}
    where event_type in ('{{ counted | map(attribute='event_type') | unique | join("', '") }}')
    group by contact_id
),
{%- endif %}
{%- for event in related %}
{{ segment_relation_ctes(event, events) }},
{%- endfor %}

base as (
    select
        features.*
        {%- for event in counted %},
            coalesce(event_matches.{{ event.alias }}, 0) as {{ event.alias }}
        {%- endfor %}
        {%- for event in related %},
            coalesce({{ event.alias }}.{{ event.alias }}, 0) as {{ event.alias }}
        {%- endfor %}
    from features
    {%- if counted %}
        left join event_matches on features.contact_id = event_matches.contact_id
    {%- endif %}
    {%- for event in related %}
        left join {{ event.alias }} on features.contact_id = {{ event.alias }}.contact_id
    {%- endfor %}
)
{%- endmacro %}
