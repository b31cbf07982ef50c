-- Who entered or exited which group of a segment with a holdout or splits, per
-- as_of: the cohorts segment_lift measures. Unlike segment_membership_changes,
-- holdout members enter and exit too (group holdout), and audience members
-- carry their split group (or treatment). Appended once per as_of and purged of
-- erased contacts like the rest of the history. The frequency cap pauses sends,
-- not membership: a capped contact keeps the groups it was in the day before.
-- A change of holdout_pct or splits shows as an exit from one group and an
-- entry into another.
-- depends_on: {{ ref('int_erased_contacts') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    pre_hook="{% if is_incremental() %}{{ purge_erased(this) }}{% endif %}",
) }}
{%- set mode = history_guard(this) %}
{%- set experiments = lift_settings().segments %}
{#- The email audiences, which the frequency cap can empty for a day. -#}
{%- set capped_segments = experiments | selectattr('email_audience') | map(attribute='name') | list %}

with

contacts as (
    select
        segments.*,
        features.is_frequency_capped
    from {{ ref('contact_segments') }} as segments
    inner join {{ ref('contact_features') }} as features on segments.contact_id = features.contact_id
),

grouped as (
    {%- for segment in experiments %}
        select
            contact_id,
            '{{ segment.name }}' as segment,
            case when seg_{{ segment.name }} then
                {{- " coalesce(seg_" ~ segment.name ~ "_split, 'treatment')" if segment.splits else " 'treatment'" }}
                else 'holdout' end as group_name
        from contacts
        where {{ segment_columns([segment]) | reject('equalto', 'seg_' ~ segment.name ~ '_split') | join(' or ') }}
        {{- '' if loop.last else '\n        union all' }}
    {%- else %}
        select
            contact_id,
            cast(null as {{ dbt.type_string() }}) as segment,
            cast(null as {{ dbt.type_string() }}) as group_name
        from contacts
        where false
    {%- endfor %}
),

-- A contact is in a group when its latest change there is an entry.
previous_groups as (
    {{ recorded_members_sql(['contact_id', 'segment', 'group_name'], 'grouped') }}
),

paused as (
    select contact_id from contacts
    where is_frequency_capped
),

-- A capped contact is in no email audience today, so it is not in grouped.
current_groups as (
    select * from grouped
    union all
    select
        previous_groups.contact_id,
        previous_groups.segment,
        previous_groups.group_name
    from previous_groups
    inner join paused on previous_groups.contact_id = paused.contact_id
    {%- if capped_segments %}
        where previous_groups.segment in ('{{ capped_segments | join("', '") }}')
    {%- else %}
        where false
    {%- endif %}
),

changes as (
    {{ membership_changes_sql('current_groups', 'previous_groups', ['contact_id', 'segment', 'group_name']) }}
),

final as (
    select
        {{ as_of_date_sql() }} || '|' || contact_id || '|' || segment || '|' || group_name as segment_group_change_id,
        {{ as_of_date_sql() }} as as_of_date,
        contact_id,
        segment,
        group_name,
        change
    from changes
    {%- if mode == 'skip' %}
        where false
    {%- endif %}
)

select * from final
