-- The global control group against everyone else, per calendar month of the
-- last global_lift_months (docs/segments.md "Lift"): persons who existed by the
-- month's end, and those with a counted order in the month (up to as_of: the
-- current month is open). Same interval, p-value and significance as
-- segment_lift. No rows while global_control_pct is 0. Months before the
-- control group was switched on compare two groups that were treated alike.
{%- set settings = lift_settings() %}
{%- set z = settings.z %}
{%- set is_on = audience_control_settings().global_control_pct > 0 %}

with

months as (
    {%- for offset in range(settings.months) %}
        select
            cast({{ dbt.dateadd('month', -offset, dbt.date_trunc('month', as_of_date_sql())) }} as date)
                as month_start_date
        {{- '' if loop.last else '\n        union all' }}
    {%- endfor %}
),

persons as (
    select
        contact_id,
        created_at,
        is_global_control
    from {{ ref('contact_features') }}
    {%- if not is_on %}
        where false
    {%- endif %}
),

orders as (
    select
        contact_id,
        ordered_at,
        net_revenue
    from {{ ref('int_orders_netted') }}
    where is_counted
),

bought as (
    select
        months.month_start_date,
        orders.contact_id,
        sum(orders.net_revenue) as revenue
    from months
    inner join orders
        on
            months.month_start_date <= orders.ordered_at
            and {{ dbt.dateadd('month', 1, 'months.month_start_date') }} > orders.ordered_at
    group by months.month_start_date, orders.contact_id
),

-- The control group is the reference side of the statistics.
groups as (
    select
        months.month_start_date,
        count(case when persons.is_global_control then 1 end) as reference_members,
        count(case when persons.is_global_control and bought.contact_id is not null then 1 end) as reference_converters,
        count(case when not persons.is_global_control then 1 end) as members,
        count(case when not persons.is_global_control and bought.contact_id is not null then 1 end) as converters,
        coalesce(sum(case when not persons.is_global_control then bought.revenue end), 0) as revenue
    from months
    inner join persons on persons.created_at < {{ dbt.dateadd('month', 1, 'months.month_start_date') }}
    left join bought
        on months.month_start_date = bought.month_start_date and persons.contact_id = bought.contact_id
    group by months.month_start_date
),

{{ lift_statistics_ctes('groups', z) }},

final as (
    select
        month_start_date,
        {{ dbt.dateadd('month', 1, 'month_start_date') }} > {{ dbt.dateadd('day', 1, as_of_date_sql()) }} as is_open,
        cast(members as {{ dbt.type_bigint() }}) as members,
        cast(converters as {{ dbt.type_bigint() }}) as converters,
        {{ rounded_statistic('rate') }} as conversion_rate,
        cast(round(revenue / nullif(members, 0), 2) as decimal(18, 2)) as revenue_per_member,
        cast(reference_members as {{ dbt.type_bigint() }}) as control_members,
        cast(reference_converters as {{ dbt.type_bigint() }}) as control_converters,
        {{ rounded_statistic('reference_rate') }} as control_conversion_rate,
        {{ rounded_statistic('rate - reference_rate') }} as absolute_lift,
        {{ rounded_statistic('absolute_lift_lower') }} as absolute_lift_lower,
        {{ rounded_statistic('absolute_lift_upper') }} as absolute_lift_upper,
        {{ rounded_statistic('rate / nullif(reference_rate, 0) - 1') }} as relative_lift,
        {{ rounded_statistic('p_value') }} as p_value,
        coalesce(p_value < {{ settings.alpha }}, false) as is_significant,
        {{ as_of_date_sql() }} as as_of_date
    from statistics
)

select * from final
