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
        "{% if is_incremental() %}{{ delete_rows(this, \"activity_date < cast(\" ~ window_start_sql(state_window_days()) ~ \" as date)\") }}{% endif %}",
    ],
) }}
{%- set devices = var('device_types') + ['other'] %}
{%- set device_counts, folds = [], {} %}
{%- set columns = ["contact_id || '|' || cast(activity_date as " ~ dbt.type_string() ~ ") as contact_day_id"] %}
{%- do columns.append('contact_id') %}
{%- for device in devices %}
    {%- set column = device ~ '_events' %}
    {%- set is_device = device_category_sql('device_type') ~ " = '" ~ device ~ "'" %}
    {%- do device_counts.append(count_where(is_device) ~ ' as ' ~ column) %}
    {%- do folds.update({column: 'sum'}) %}
    {%- do columns.append('cast(' ~ column ~ ' as ' ~ dbt.type_bigint() ~ ') as ' ~ column) %}
{%- endfor %}
{%- do columns.append('activity_date') %}

{%- set gained %}
    select
        contact_id,
        {{ device_counts | join(',\n        ') }},
        cast(occurred_at as date) as activity_date
    from events
    group by contact_id, cast(occurred_at as date)
{%- endset %}

{{ state_table(
    events_where="device_type is not null and not is_machine_open and occurred_at >= "
        ~ window_start_sql(state_window_days()),
    gained=gained,
    folds=folds,
    columns=columns,
) }}
