{#-
  The CTEs that compute one trait per person (docs/traits.md), ending in a CTE
  named after the trait with columns contact_id and <name>: its matching events,
  the last_n most recent of them when it has last_n, then its aggregate. Order
  among events: occurred_at, then event_id. `trait`: an entry of
  trait_definitions(); `events`: the relation of the events it may read.
-#}
{% macro trait_ctes(trait, events) %}
{%- set name = trait.name -%}
{%- set scope = name ~ ('_recent' if trait.last_n else '_matched') -%}
{{ name }}_matched as (
    select contact_id, event_id, occurred_at, {{ trait.value or 'null' }} as trait_value
    from {{ events }}
    where {{ trait.filters | join(' and ') }}
),
{%- if trait.last_n %}

{{ name }}_ranked as (
    select
        {{ name }}_matched.*,
        row_number() over (partition by contact_id order by occurred_at desc, event_id desc) as recency
    from {{ name }}_matched
),

{{ name }}_recent as (
    select * from {{ name }}_ranked where recency <= {{ trait.last_n }}
),
{%- endif %}
{%- if trait.aggregate in ['first', 'last'] %}

{{ name }}_ordered as (
    select
        contact_id,
        trait_value,
        row_number() over (
            partition by contact_id
            order by occurred_at {{ 'desc' if trait.aggregate == 'last' }}, event_id {{ 'desc' if trait.aggregate == 'last' }}
        ) as position
    from {{ scope }}
    where trait_value is not null
),

{{ name }} as (
    select contact_id, trait_value as {{ name }} from {{ name }}_ordered where position = 1
)
{%- elif trait.aggregate in ['most_frequent', 'list'] %}

{{ name }}_values as (
    select
        contact_id,
        trait_value,
        row_number() over (partition by contact_id order by count(*) desc, trait_value) as position
    from {{ scope }}
    where trait_value is not null
    group by contact_id, trait_value
),

{{ name }} as (
    {%- if trait.aggregate == 'most_frequent' %}
    select contact_id, trait_value as {{ name }} from {{ name }}_values where position = 1
    {%- else %}
    select contact_id, {{ string_list_agg('trait_value') }} as {{ name }}
    from {{ name }}_values
    {%- if trait.limit %}
    where position <= {{ trait.limit }}
    {%- endif %}
    group by contact_id
    {%- endif %}
)
{%- else %}

{{ name }} as (
    select
        contact_id,
        {%- if trait.aggregate == 'count' %}
        count(*) as {{ name }}
        {%- elif trait.aggregate == 'distinct_count' %}
        count(distinct trait_value) as {{ name }}
        {%- else %}
        {{ trait.aggregate }}(trait_value) as {{ name }}
        {%- endif %}
    from {{ scope }}
    group by contact_id
)
{%- endif %}
{%- endmacro %}
