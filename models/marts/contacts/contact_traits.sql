-- Computed traits (docs/traits.md): one row per person of contact_features, one
-- column per trait declared in the properties of this model, in declared order,
-- each an aggregate over the person's matching events up to as_of. Segment rules
-- read the traits as columns; segments export --fields sends them.
-- Traits compile to generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
{%- set traits = trait_definitions() %}
{%- set resolved_events = ref('int_events_resolved') %}

with

contacts as (
    select contact_id from {{ ref('contact_features') }}
),
{%- if traits %}

-- The events some trait reads, read once for all of them, with the columns they read.
trait_events as {{ materialized_cte() }} (
    select {{ traits | map(attribute='columns') | sum(start=[]) | unique | join(', ') }}
    from {{ resolved_events }}
    where
        event_type in ('{{ traits | map(attribute='event_type') | unique | join("', '") }}')
        and (
            {%- for trait in traits %}
                ({{ trait.filters | join(' and ') }}){{ ' or' if not loop.last }}
            {%- endfor %}
        )
),
{%- for trait in traits %}

{{ trait_ctes(trait, 'trait_events') }},
{%- endfor %}
{%- endif %}

final as (
    select
        contacts.contact_id,
        {%- for trait in traits %}
            {%- if trait.aggregate in ['count', 'distinct_count'] %}
                cast(coalesce({{ trait.name }}.{{ trait.name }}, 0) as {{ dbt.type_bigint() }}) as {{ trait.name }},
            {%- elif trait.kind == 'number' %}
                cast({{ trait.name }}.{{ trait.name }} as {{ type_double() }}) as {{ trait.name }},
            {%- else %}
                {{ trait.name }}.{{ trait.name }},
            {%- endif %}
        {%- endfor %}
        {{ as_of_date_sql() }} as as_of_date
    from contacts
    {%- for trait in traits %}
        left join {{ trait.name }} on contacts.contact_id = {{ trait.name }}.contact_id
    {%- endfor %}
)

select * from final
