-- Each experiment's cohorts: per segment, ISO week of entry and group, the
-- contacts who entered that group (segment_group_changes, up to as_of), how
-- many reached the segment's goal in the lift_window_days after the day they
-- entered, and the counted orders' net revenue in the same window. An entry is
-- counted once per entry: a contact who leaves and comes back is a new entry.
-- A cohort is open while a window of one of its entries has not closed.
{%- set settings = lift_settings() %}
{%- set event_goals = settings.segments | map(attribute='goal') | reject('equalto', 'purchase') | unique | list %}

with

entries as (
    select
        contact_id,
        segment,
        group_name,
        as_of_date as entry_date
    from {{ ref('segment_group_changes') }}
    where change = 'entered' and as_of_date <= {{ as_of_date_sql() }}
),

goals as (
    select distinct
        segment,
        goal
    from ({{ lift_groups_sql(settings.segments) }}) as comparisons
),

orders as (
    select
        contact_id,
        ordered_at,
        net_revenue
    from {{ ref('int_orders_netted') }}
    where is_counted
),

-- What can happen in a window: a goal reached, or revenue (every counted order).
outcomes as (
    select
        contact_id,
        'purchase' as goal,
        ordered_at as happened_at,
        net_revenue as revenue
    from orders
    union all
    select
        contact_id,
        event_type as goal,
        occurred_at as happened_at,
        0 as revenue
    from {{ ref('int_events_resolved') }}
    {%- if event_goals %}
        where event_type in ('{{ event_goals | join("', '") }}')
    {%- else %}
        where false
    {%- endif %}
),

-- The window: the lift_window_days whole days after the entry day.
windows as (
    select
        entries.*,
        goals.goal,
        cast({{ dbt.date_trunc('week', 'entries.entry_date') }} as date) as entry_week_date,
        {{ dbt.dateadd('day', 1, 'entries.entry_date') }} as window_starts_at,
        {{ dbt.dateadd('day', settings.window_days + 1, 'entries.entry_date') }} as window_ends_at
    from entries
    inner join goals on entries.segment = goals.segment
),

measured as (
    select
        windows.segment,
        windows.group_name,
        windows.goal,
        windows.entry_week_date,
        windows.entry_date,
        coalesce(max(case when outcomes.goal = windows.goal then 1 else 0 end), 0) = 1 as has_converted,
        coalesce(sum(case when outcomes.goal = 'purchase' then outcomes.revenue end), 0) as revenue
    from windows
    left join outcomes
        on
            windows.contact_id = outcomes.contact_id
            and windows.window_starts_at <= outcomes.happened_at
            and windows.window_ends_at > outcomes.happened_at
    group by
        windows.contact_id, windows.segment, windows.group_name, windows.goal, windows.entry_week_date,
        windows.entry_date
),

cohorts as (
    select
        segment,
        entry_week_date,
        group_name,
        goal,
        count(*) as members,
        {{ count_where('has_converted') }} as converters,
        sum(revenue) as revenue,
        max(entry_date) as last_entry_date
    from measured
    group by segment, entry_week_date, group_name, goal
),

final as (
    select
        segment || '|' || cast(entry_week_date as {{ dbt.type_string() }}) || '|' || group_name
            as segment_lift_cohort_id,
        segment,
        entry_week_date,
        group_name,
        goal,
        members,
        converters,
        {{ rounded_statistic('cast(converters as ' ~ type_double() ~ ') / members') }} as conversion_rate,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(round(revenue / members, 2) as decimal(18, 2)) as revenue_per_member,
        last_entry_date > {{ dbt.dateadd('day', -settings.window_days, as_of_date_sql()) }} as is_open,
        {{ as_of_date_sql() }} as as_of_date
    from cohorts
)

select * from final
