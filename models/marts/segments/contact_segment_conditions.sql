-- Explains segment membership: one row per person, segment and condition of its
-- rule, with whether the condition held. Besides each leaf condition there is a
-- row for the whole rule, one for sendability (email audiences), one for each
-- audience control that is on (global control group, frequency cap) and one for
-- the final membership. A view: filter it on a contact_id and a segment_name.
-- Rules compile to generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
-- depends_on: {{ ref('contact_features') }}
-- depends_on: {{ ref('int_contact_event_conditions') }}
-- depends_on: {{ ref('contact_traits') }}
{%- set plan = segment_plan() %}
{%- set controls = audience_control_settings() %}

with

{{ segment_base_ctes(plan) }},

conditions as (
    {%- for segment in plan.segments %}
        {%- set rows = [] %}
        {%- for leaf in segment.leaves %}
            {%- do rows.append((leaf.path, leaf.text, leaf.sql)) %}
        {%- endfor %}
        {%- do rows.append(('whole_rule', 'the whole rule', segment.rule_sql)) %}
        {%- if segment.email_audience %}
            {%- do rows.append(('email_audience', 'is_email_sendable = true', 'base.is_email_sendable')) %}
            {%- if controls.global_control_pct > 0 %}
                {%- do rows.append(('global_control', 'not in the global control group', 'not base.is_global_control')) %}
            {%- endif %}
            {%- if controls.frequency_cap %}
                {%- do rows.append(('frequency_cap', 'fewer than ' ~ controls.frequency_cap.emails
                    ~ ' emails delivered in the last ' ~ controls.frequency_cap.days ~ ' days',
                    'not base.is_frequency_capped')) %}
            {%- endif %}
        {%- endif %}
        {%- do rows.append(('membership', 'member of ' ~ segment.name ~ ' (before any holdout)', segment.member_sql)) %}
        {%- for path, text, sql in rows %}
            select
                base.contact_id,
                '{{ segment.name }}' as segment_name,
                '{{ path }}' as condition_path,
                '{{ text | replace("'", "''") }}' as condition_text,
                coalesce({{ sql }}, false) as is_met
            from base
            {%- if not (loop.last and segment is sameas plan.segments[-1]) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
    {%- if not plan.segments %}
        select
            cast(null as {{ dbt.type_string() }}) as contact_id,
            cast(null as {{ dbt.type_string() }}) as segment_name,
            cast(null as {{ dbt.type_string() }}) as condition_path,
            cast(null as {{ dbt.type_string() }}) as condition_text,
            false as is_met
        where false
    {%- endif %}
),

final as (
    select
        contact_id || '|' || segment_name || '|' || condition_path as contact_segment_condition_id,
        contact_id,
        segment_name,
        condition_path,
        condition_text,
        is_met
    from conditions
)

select * from final
