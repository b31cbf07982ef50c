{#-
  The CTEs that count one return or sequence condition per person (kinds
  `return` and `sequence` of segment_plan's events), ending in a CTE named after
  the condition's alias with columns contact_id and <alias>. Events at the same
  moment are kept apart by event_row_id. `events`: the events relation.
-#}
{% macro segment_relation_ctes(event, events) %}
{%- set alias = event.alias -%}
{%- if event.kind == 'return' %}
{{ alias }}_moments as (
    select contact_id, occurred_at
    from {{ events }}
    where {{ event.sql }}
    group by contact_id, occurred_at
),

{{ alias }}_gaps as (
    select
        contact_id,
        occurred_at,
        lag(occurred_at) over (partition by contact_id order by occurred_at) as previous_at
    from {{ alias }}_moments
),

{{ alias }} as (
    select contact_id, count(*) as {{ alias }}
    from {{ alias }}_gaps
    where
        previous_at <= {{ dbt.dateadd('hour', -24 * event.gap_days, 'occurred_at') }}
        {%- for filter in event.window %}
            and {{ filter }}
        {%- endfor %}
    group by contact_id
)
{%- else -%}
{%- for step in event.steps %}
{{ alias }}_step_{{ loop.index }} as (
    select contact_id, event_row_id, occurred_at
    from {{ events }}
    where
        {{ step.filters | join(' and ') }}
        {%- for filter in (event.window if loop.first else ['occurred_at >= ' ~ event.start] if event.start else []) %}
            and {{ filter }}
        {%- endfor %}
),
{% endfor %}
{#- Each later step's condition, against the last positive step before it (its anchor). -#}
{%- set links = [] %}
{%- set state = {'anchor': 'step_1', 'chain': ['step_1.event_row_id']} %}
{%- for step in event.steps[1:] %}
    {%- set name = 'step_' ~ (loop.index + 1) %}
    {%- do links.append({'name': name, 'negated': step.negated,
                         'condition': segment_step_follows_sql(name, state.anchor, state.chain, step.hours)}) %}
    {%- if not step.negated %}
        {%- do state.chain.append(name ~ '.event_row_id') %}
        {%- do state.update({'anchor': name}) %}
    {%- endif %}
{%- endfor %}
{{ alias }}_chains as (
    select step_1.contact_id, step_1.event_row_id as start_row_id
    from {{ alias }}_step_1 as step_1
    {%- for link in links if not link.negated %}
    inner join {{ alias }}_{{ link.name }} as {{ link.name }} on {{ link.condition }}
    {%- endfor %}
    where true
    {%- for link in links if link.negated %}
        and not exists (
            select 1 from {{ alias }}_{{ link.name }} as {{ link.name }}
            where {{ link.condition }}
        )
    {%- endfor %}
),

{{ alias }} as (
    select contact_id, count(distinct start_row_id) as {{ alias }}
    from {{ alias }}_chains
    group by contact_id
)
{%- endif %}
{%- endmacro %}
