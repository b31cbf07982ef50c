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

previous_members as (
    {{ recorded_members_sql(['contact_id', 'segment'], 'current_members') }}
),

changes as (
    {{ membership_changes_sql('current_members', 'previous_members', ['contact_id', 'segment']) }}
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
