-- The canonical event types are listed once, in the event_types var; the
-- event_types seed describes them. Returns each type that only one of the two has.

with

seeded as (
    select event_type from {{ ref('event_types') }}
),

declared as (
    {% for event_type in var('event_types') %}
        select '{{ event_type }}' as event_type
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        seeded.event_type,
        'only in the seed' as problem
    from seeded
    where seeded.event_type not in (select declared.event_type from declared)
    union all
    select
        declared.event_type,
        'only in the event_types var' as problem
    from declared
    where declared.event_type not in (select seeded.event_type from seeded)
)

select * from final
