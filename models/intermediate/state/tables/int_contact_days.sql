-- Per-contact state (docs/incremental.md): per person and day, the events of each
-- device category (docs/activity.md: desktop, mobile, tablet, anything else is
-- other; machine opens and events without a device left out), kept for the days
-- a window reads (state_window_days). Counts only grow; a run merges the days a
-- person gained and drops the days that fell out of every window.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id', 'activity_date'],
    pre_hook=[
        "{% if is_incremental() %}delete from {{ this }} where activity_date < cast({{ window_start_sql(state_window_days()) }} as date){% endif %}",
    ],
) }}
{%- set devices = var('device_types') + ['other'] %}

with

events as (
    {{ state_events("device_type is not null and not is_machine_open and occurred_at >= "
        ~ window_start_sql(state_window_days())) }}
),

gained as (
    select
        contact_id,
        {% for device in devices %}
            {{ count_where(device_category_sql('device_type') ~ " = '" ~ device ~ "'") }} as {{ device }}_events,
        {% endfor %}
        cast(occurred_at as date) as activity_date
    from events
    group by contact_id, cast(occurred_at as date)
),

{%- set folds = {} %}
{%- for device in devices %}
    {%- do folds.update({device ~ '_events': 'sum'}) %}
{%- endfor %}
{{ fold_into_state(keys=['contact_id', 'activity_date'], folds=folds) }},

final as (
    select
        contact_id || '|' || cast(activity_date as {{ dbt.type_string() }}) as contact_day_id,
        contact_id,
        {% for device in devices %}
            cast({{ device }}_events as {{ dbt.type_bigint() }}) as {{ device }}_events,
        {% endfor %}
        activity_date
    from combined
)

select * from final
