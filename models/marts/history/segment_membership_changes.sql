-- Who entered or exited which segment's audience on each as_of, appended once
-- per as_of (see history_guard). Membership before as_of is rebuilt from this
-- table itself (the latest change of each contact and segment), so a run that
-- skips days compares with the last recorded day. Erased contacts are purged
-- from the whole history before every run.
-- depends_on: {{ ref('int_erased_contacts') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    pre_hook="{% if is_incremental() %}{{ purge_erased(this) }}{% endif %}",
) }}
{%- set mode = history_guard(this) %}

with

current_members as (
    {{ segment_memberships_sql(ref('contact_segments')) }}
),

{% if is_incremental() %}
    -- A member is a contact and segment whose latest change (one per day) is an
    -- entry. Aggregated rather than ranked with a window: the history grows by
    -- every day's changes, and on 77M rows this takes 1.3 s against 21 s.
    previous_members as (
        select
            contact_id,
            segment
        from {{ this }}
        where as_of_date < {{ as_of_date_sql() }}
        group by contact_id, segment
        having max(case when change = 'entered' then as_of_date end) = max(as_of_date)
    ),
{% else %}
    previous_members as (
        select
            contact_id,
            segment
        from current_members
        where false
    ),
{% endif %}

changes as (
    select
        current_members.contact_id,
        current_members.segment,
        'entered' as change
    from current_members
    left join previous_members
        on
            current_members.contact_id = previous_members.contact_id
            and current_members.segment = previous_members.segment
    where previous_members.contact_id is null
    union all
    select
        previous_members.contact_id,
        previous_members.segment,
        'exited' as change
    from previous_members
    left join current_members
        on
            previous_members.contact_id = current_members.contact_id
            and previous_members.segment = current_members.segment
    where current_members.contact_id is null
),

final as (
    select
        {{ as_of_date_sql() }} || '|' || contact_id || '|' || segment as segment_membership_change_id,
        {{ as_of_date_sql() }} as as_of_date,
        contact_id,
        segment,
        change
    from changes
    {%- if mode == 'skip' %}
        where false
    {%- endif %}
)

select * from final
