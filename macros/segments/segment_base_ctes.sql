{#-
  The relations every segment rule reads, as CTEs ending in `base`: the
  contact_features row of each person, its traits (contact_traits), plus one
  value per event condition. The models read the conditions as counted once per
  run (int_contact_event_conditions); given `events_relation` (the draft
  preview), they are counted here from those events (segment_event_ctes). The
  features and traits default to the models; the preview passes the published ones.
-#}
{% macro segment_base_ctes(plan, features_relation=none, events_relation=none, traits_relation=none) %}
{%- set traits = plan.get('traits', []) -%}
{%- set counted = segment_event_ctes(plan, events_relation) if events_relation is not none and plan.events
    else none -%}
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
{%- if counted is not none %}
{%- set sources = counted.sources %}

{{ counted.sql }},
{%- elif plan.events %}
{%- set sources = {} %}
{%- for event in plan.events %}
    {%- do sources.update({event.alias: 'event_conditions'}) %}
{%- endfor %}

event_conditions as (
    select
        contact_id,
        {%- for event in plan.events %}
            max(case when event_condition = '{{ event.alias }}' then matches end) as {{ event.alias }}
            {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_contact_event_conditions') }}
    where event_condition in ('{{ plan.events | map(attribute='alias') | join("', '") }}')
    group by contact_id
),
{%- else %}
{%- set sources = {} %}
{%- endif %}

base as (
    select
        features.*
        {%- for event in plan.events %},
            coalesce({{ sources[event.alias] }}.{{ event.alias }}, 0) as {{ event.alias }}
        {%- endfor %}
    from features
    {%- for source in sources.values() | unique %}
        left join {{ source }} on features.contact_id = {{ source }}.contact_id
    {%- endfor %}
)
{%- endmacro %}
