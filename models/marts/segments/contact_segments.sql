-- The segment mart: one row per person, one never-null boolean seg_<name> column
-- per segment declared in _segments__models.yml (in that order), compiled by
-- macros/segments. An email-audience segment only holds sendable contacts; a
-- segment with holdout_pct moves that share of its members, by a stable hash of
-- contact and segment name, to seg_<name>_holdout (not in the audience); one
-- with splits gives each audience member its group in seg_<name>_split.
-- Rules compile to generated SQL whose layout sqlfluff cannot judge; other rules still apply.
-- noqa: disable=LT01,LT02,LT05
-- depends_on: {{ ref('int_contact_event_conditions') }}
-- depends_on: {{ ref('contact_traits') }}
{%- set plan = segment_plan() %}
{%- set prioritized = [] %}
{%- for segment in plan.segments if segment.priority is not none %}
    {%- do prioritized.append(segment) %}
{%- endfor %}

with

{{ segment_base_ctes(plan) }},

memberships as (
    select
        base.*
        {%- for segment in plan.segments %},
            coalesce({{ segment.member_sql }}, false) as is_member_{{ segment.name }}
            {%- if segment.holdout_pct is not none %},
                {{ stable_bucket("base.contact_id || ':" ~ segment.name ~ "'") }}
                < {{ (segment.holdout_pct * 100) | round | int }} as is_holdout_{{ segment.name }}
            {%- endif %}
        {%- endfor %}
    from base
),

audiences as (
    select
        memberships.*
        {%- for segment in plan.segments %},
            {%- if segment.holdout_pct is not none %}
                is_member_{{ segment.name }} and not is_holdout_{{ segment.name }} as seg_{{ segment.name }},
                is_member_{{ segment.name }} and is_holdout_{{ segment.name }} as seg_{{ segment.name }}_holdout
            {%- else %}
                is_member_{{ segment.name }} as seg_{{ segment.name }}
            {%- endif %}
        {%- endfor %}
    from memberships
),

-- A/B splits divide the audience (holdout members excluded) by a second stable
-- hash, salted apart from the holdout's so the two are independent.
splits as (
    select
        audiences.*
        {%- for segment in plan.segments if segment.splits %},
            case when seg_{{ segment.name }} then case
                {%- for group in segment.splits %}
                    {%- if not loop.last %}
                        when {{ stable_bucket("contact_id || ':" ~ segment.name ~ ":split'") }}
                            < {{ group.upper_bucket }} then '{{ group.name }}'
                    {%- else %}
                        else '{{ group.name }}'
                    {%- endif %}
                {%- endfor %}
            end end as seg_{{ segment.name }}_split
        {%- endfor %}
    from audiences
),

final as (
    select
        contact_id,
        email,
        {{ sha256_hex('email') }} as email_sha256,
        first_name,
        country,
        timezone,
        language,
        acquisition_source,
        customer_status,
        funnel_stage,
        rfm_segment,
        email_engagement_status,
        lead_score,
        is_email_sendable,
        {%- if prioritized %}
            case
                {%- for segment in prioritized | sort(attribute='priority', reverse=true) %}
                    when seg_{{ segment.name }} then '{{ segment.name }}'
                {%- endfor %}
            end
        {%- else %}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as primary_segment,
        {%- for column in segment_columns(plan.segments) %}
            {{ column }},
        {%- endfor %}
        as_of_date
    from splits
)

select * from final
