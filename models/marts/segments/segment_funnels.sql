-- The size after each condition of every segment, in order (docs/segments.md
-- "Funnels"): one row per segment and step, with the contacts for whom that
-- step and every one before it hold. For a rule that is an `all`, a step per
-- condition; otherwise the rule; an email audience then its membership (before
-- any holdout). One pass over the contacts: all counts in one aggregate.
-- Rules compile to generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
-- depends_on: {{ ref('int_contact_event_conditions') }}
-- depends_on: {{ ref('contact_traits') }}
{%- set plan = segment_plan() %}
{%- set rows = [] %}
{%- for segment in plan.segments %}
    {%- set steps = segment_funnel_steps(segment, plan.members, plan.kinds) %}
    {%- for step in steps %}
        {%- do rows.append({'segment': segment.name, 'number': loop.index, 'path': step.path, 'text': step.text,
                            'column': 'after_' ~ (rows | length),
                            'held': '(' ~ (steps[:loop.index] | map(attribute='sql') | join(') and (')) ~ ')'}) %}
    {%- endfor %}
{%- endfor %}

with

{{ segment_base_ctes(plan) }},

counts as (
    select
        count(*) as contacts
        {%- for row in rows %},
            {{ count_where(row.held) }} as {{ row.column }}
        {%- endfor %}
    from base
),

-- the step texts: literals, no table read
steps as (
    {%- for row in rows %}
        select
            {{ loop.index }} as step_index,
            '{{ row.segment }}|{{ row.number }}' as segment_funnel_step_id,
            '{{ row.segment }}' as segment_name,
            {{ row.number }} as step_number,
            '{{ row.path }}' as condition_path,
            '{{ row.text | replace("'", "''") }}' as condition_text
        {{- '' if loop.last else '\n        union all' }}
    {%- else %}
        select
            0 as step_index,
            cast(null as {{ dbt.type_string() }}) as segment_funnel_step_id,
            cast(null as {{ dbt.type_string() }}) as segment_name,
            0 as step_number,
            cast(null as {{ dbt.type_string() }}) as condition_path,
            cast(null as {{ dbt.type_string() }}) as condition_text
        where false
    {%- endfor %}
),

-- the one row of counts turned into a row per step (not a select of `counts` per step:
-- Spark would plan the aggregate once per step)
step_counts as (
    {%- if rows %}
        {%- set pairs = [] %}
        {%- for row in rows %}
            {%- do pairs.append((loop.index | string, row.column)) %}
        {%- endfor %}
        select
            unpivoted.step_index,
            unpivoted.contacts_after
        from counts
        {{ unpivot_join(pairs, 'unpivoted', 'step_index', 'contacts_after') }}
    {%- else %}
        select
            0 as step_index,
            cast(0 as {{ dbt.type_bigint() }}) as contacts_after
        where false
    {%- endif %}
),

final as (
    select
        steps.segment_funnel_step_id,
        steps.segment_name,
        steps.step_number,
        steps.condition_path,
        steps.condition_text,
        step_counts.contacts_after,
        {{ as_of_date_sql() }} as as_of_date
    from steps
    inner join step_counts on steps.step_index = step_counts.step_index
)

select * from final
