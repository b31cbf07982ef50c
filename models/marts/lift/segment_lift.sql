-- Did the audience work? One row per segment and compared group (every split
-- group, or the treatment, against the holdout; docs/segments.md "Lift"), over
-- every closed cohort of segment_lift_cohorts: conversion of each side,
-- absolute lift with Newcombe's hybrid score interval, relative lift with the
-- log-ratio interval, the pooled two-proportion z-test's p-value, and whether
-- that is below 1 - lift_confidence_level. Open cohorts are counted apart.
{%- set settings = lift_settings() %}
{%- set z = settings.z %}

with

comparisons as (
    {{ lift_groups_sql(settings.segments) }}
),

cohorts as (
    select * from {{ ref('segment_lift_cohorts') }}
),

groups as (
    select
        segment,
        group_name,
        {{ count_where('not is_open') }} as closed_cohorts,
        cast(coalesce(sum(case when not is_open then members end), 0) as {{ dbt.type_bigint() }}) as members,
        cast(coalesce(sum(case when not is_open then converters end), 0) as {{ dbt.type_bigint() }}) as converters,
        coalesce(sum(case when not is_open then revenue end), 0) as revenue,
        cast(coalesce(sum(case when is_open then members end), 0) as {{ dbt.type_bigint() }}) as open_members,
        min(case when not is_open then entry_week_date end) as first_entry_week_date,
        max(case when not is_open then entry_week_date end) as last_entry_week_date
    from cohorts
    group by segment, group_name
),

paired as (
    select
        comparisons.segment,
        comparisons.group_name,
        comparisons.reference_group,
        comparisons.goal,
        coalesce(treated.members, 0) as members,
        coalesce(treated.converters, 0) as converters,
        coalesce(treated.revenue, 0) as revenue,
        coalesce(reference.members, 0) as reference_members,
        coalesce(reference.converters, 0) as reference_converters,
        coalesce(reference.revenue, 0) as reference_revenue,
        coalesce(treated.open_members, 0) + coalesce(reference.open_members, 0) as open_members,
        case
            when reference.first_entry_week_date < treated.first_entry_week_date
                then reference.first_entry_week_date
            else coalesce(treated.first_entry_week_date, reference.first_entry_week_date)
        end as first_entry_week_date,
        {{ greatest_not_null('treated.last_entry_week_date', 'reference.last_entry_week_date') }}
            as last_entry_week_date
    from comparisons
    left join groups as treated
        on comparisons.segment = treated.segment and comparisons.group_name = treated.group_name
    left join groups as reference
        on comparisons.segment = reference.segment and comparisons.reference_group = reference.group_name
),

{{ lift_statistics_ctes('paired', z) }},

final as (
    select
        segment || '|' || group_name as segment_lift_id,
        segment,
        group_name,
        reference_group,
        goal,
        {{ settings.window_days }} as window_days,
        first_entry_week_date,
        last_entry_week_date,
        members,
        converters,
        {{ rounded_statistic('rate') }} as conversion_rate,
        {{ rounded_statistic('rate_lower') }} as conversion_rate_lower,
        {{ rounded_statistic('rate_upper') }} as conversion_rate_upper,
        cast(round(revenue / nullif(members, 0), 2) as decimal(18, 2)) as revenue_per_member,
        reference_members,
        reference_converters,
        {{ rounded_statistic('reference_rate') }} as reference_conversion_rate,
        {{ rounded_statistic('reference_rate_lower') }} as reference_conversion_rate_lower,
        {{ rounded_statistic('reference_rate_upper') }} as reference_conversion_rate_upper,
        cast(round(reference_revenue / nullif(reference_members, 0), 2) as decimal(18, 2))
            as reference_revenue_per_member,
        {{ rounded_statistic('rate - reference_rate') }} as absolute_lift,
        {{ rounded_statistic('absolute_lift_lower') }} as absolute_lift_lower,
        {{ rounded_statistic('absolute_lift_upper') }} as absolute_lift_upper,
        {{ rounded_statistic('rate / nullif(reference_rate, 0) - 1') }} as relative_lift,
        {{ rounded_statistic('relative_lift_lower') }} as relative_lift_lower,
        {{ rounded_statistic('relative_lift_upper') }} as relative_lift_upper,
        {{ rounded_statistic('p_value') }} as p_value,
        coalesce(p_value < {{ settings.alpha }}, false) as is_significant,
        {{ settings.confidence_level }} as confidence_level,
        open_members,
        {{ as_of_date_sql() }} as as_of_date
    from statistics
)

select * from final
