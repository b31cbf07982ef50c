-- Members, entered, exited and erased per segment and as_of, appended once per
-- as_of (see history_guard): the size of every segment over time. Counts, not
-- contacts, so erasure leaves past sizes as they were. An erased contact's
-- membership history is deleted, so it cannot exit; `erased` counts those
-- departures: previous members + entered - exited - members.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}
{%- set mode = history_guard(this) %}

with

segments as (
    {{ segment_names_sql() }}
),

members as (
    select
        segment,
        count(*) as members
    from ({{ segment_memberships_sql(ref('contact_segments')) }}) as memberships
    group by segment
),

changes as (
    select
        segment,
        {{ count_where("change = 'entered'") }} as entered,
        {{ count_where("change = 'exited'") }} as exited
    from {{ ref('segment_membership_changes') }}
    where as_of_date = {{ as_of_date_sql() }}
    group by segment
),

{% if is_incremental() %}
    previous as (
        select
            segment,
            members as previous_members
        from (
            select
                segment,
                members,
                row_number() over (partition by segment order by as_of_date desc) as day_rank
            from {{ this }}
            where as_of_date < {{ as_of_date_sql() }}
        ) as recorded
        where day_rank = 1
    ),
{% endif %}

final as (
    select
        {{ as_of_date_sql() }} || '|' || segments.segment as segment_daily_size_id,
        {{ as_of_date_sql() }} as as_of_date,
        segments.segment,
        cast(coalesce(members.members, 0) as {{ dbt.type_bigint() }}) as members,
        coalesce(changes.entered, 0) as entered,
        coalesce(changes.exited, 0) as exited,
        {%- if is_incremental() %}
            coalesce(previous.previous_members, 0) + coalesce(changes.entered, 0) - coalesce(changes.exited, 0)
            - coalesce(members.members, 0)
        {%- else %}
            0
        {%- endif %} as erased
    from segments
    left join members on segments.segment = members.segment
    left join changes on segments.segment = changes.segment
    {%- if is_incremental() %}
        left join previous on segments.segment = previous.segment
    {%- endif %}
    {%- if mode == 'skip' %}
        where false
    {%- endif %}
)

select * from final
