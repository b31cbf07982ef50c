-- Every event condition of the segment file counted per person, once per run:
-- one row per person and condition that holds a count above zero (a person
-- without one counts 0). contact_segments, contact_segment_conditions and
-- segment_funnels read the counts from here instead of each scanning the
-- events again. A condition is named by its alias: the same condition in two
-- segments is counted once (docs/segments.md "Cost").
-- Conditions compile to generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
{%- set plan = segment_plan() %}
{%- set counted = segment_event_ctes(plan, ref('int_events_resolved')) %}

with

{% if counted.sql %}{{ counted.sql }},{% endif %}

conditions as (
    {%- for event in plan.events %}
        select
            contact_id,
            '{{ event.alias }}' as event_condition,
            {{ event.alias }} as matches
        from {{ counted.sources[event.alias] }}
        where {{ event.alias }} > 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    {%- if not plan.events %}
        select
            cast(null as {{ dbt.type_string() }}) as contact_id,
            cast(null as {{ dbt.type_string() }}) as event_condition,
            cast(null as {{ dbt.type_bigint() }}) as matches
        where false
    {%- endif %}
),

final as (
    select
        contact_id || '|' || event_condition as contact_event_condition_id,
        contact_id,
        event_condition,
        cast(matches as {{ dbt.type_bigint() }}) as matches
    from conditions
)

select * from final
