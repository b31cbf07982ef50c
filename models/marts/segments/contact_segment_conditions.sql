-- Explains segment membership: one row per person, segment and condition of its
-- rule, with whether the condition held. Besides each leaf condition there is a
-- row for the whole rule, one for sendability (email audiences), one for each
-- audience control that is on (global control group, frequency cap) and one for
-- the final membership. A view: filter it on a contact_id and a segment_name.
-- Each distinct condition is evaluated once per person and unpivoted; the texts
-- come from segment_conditions, so that the view's SQL stays short.
-- Rules compile to generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
-- depends_on: {{ ref('int_contact_event_conditions') }}
-- depends_on: {{ ref('contact_traits') }}
{%- set plan = segment_plan() %}
{%- set explained = segment_condition_rows(plan) %}
{%- set pairs = [] %}
{%- for row in explained.rows %}
    {%- do pairs.append(("'" ~ row.segment_condition_id ~ "'", 'met.condition_' ~ row.expression_index)) %}
{%- endfor %}

with

{{ segment_base_ctes(plan) }},

conditions as (
    select * from {{ ref('segment_conditions') }}
),

met as (
    select
        base.contact_id
        {%- for sql in explained.expressions %},
            coalesce({{ sql }}, false) as condition_{{ loop.index0 }}
        {%- endfor %}
    from base
),

explained as (
    {%- if pairs %}
        select
            met.contact_id,
            unpivoted.segment_condition_id,
            unpivoted.is_met
        from met
            {{ unpivot_join(pairs, 'unpivoted', 'segment_condition_id', 'is_met') }}
    {%- else %}
        select
            met.contact_id,
            cast(null as {{ dbt.type_string() }}) as segment_condition_id,
            false as is_met
        from met
        where false
    {%- endif %}
),

final as (
    select
        explained.contact_id || '|' || explained.segment_condition_id as contact_segment_condition_id,
        explained.contact_id,
        conditions.segment_name,
        conditions.condition_path,
        conditions.condition_text,
        explained.is_met
    from explained
        inner join conditions
            on explained.segment_condition_id = conditions.segment_condition_id
)

select * from final
