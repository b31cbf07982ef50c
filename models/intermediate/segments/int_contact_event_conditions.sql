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

-- the counted conditions unpivoted from one read of event_matches (a select of it per
-- condition would compute it once per condition on Spark, which has no materialized CTE)
conditions as (
    {%- set pairs = [] %}
    {%- set parts = [] %}
    {%- for event in plan.events %}
        {%- if counted.sources[event.alias] == 'event_matches' %}
            {%- do pairs.append(("'" ~ event.alias ~ "'", event.alias)) %}
        {%- else %}
            {%- do parts.append("select contact_id, '" ~ event.alias ~ "' as event_condition, " ~ event.alias
                ~ " as matches from " ~ event.alias ~ " where " ~ event.alias ~ " > 0") %}
        {%- endif %}
    {%- endfor %}
    {%- if pairs %}
        {%- do parts.insert(0, "select event_matches.contact_id, unpivoted.event_condition, unpivoted.matches"
            ~ " from event_matches " ~ unpivot_join(pairs, 'unpivoted', 'event_condition', 'matches')
            ~ " where unpivoted.matches > 0") %}
    {%- endif %}
    {%- if parts %}
        {{ parts | join('\n        union all\n        ') }}
    {%- else %}
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
