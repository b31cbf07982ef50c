-- Per-contact state (docs/incremental.md): per person and UTC quarter hour, the
-- human (not machine) email opens, kept for the days a window reads
-- (state_window_days). Quarter hours, because every zone's offset from UTC is a
-- whole number of quarter hours: the local hour and weekday of an open follow
-- from its quarter and the person's zone, read as of each run (docs/time.md).
-- Counts only grow; a run merges the quarters a person gained and drops those
-- that fell out of every window.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id', 'opened_quarter_at'],
    pre_hook=[
        "{% if is_incremental() %}{{ delete_rows(this, \"opened_quarter_at < \" ~ window_start_sql(state_window_days())) }}{% endif %}",
    ],
) }}

{%- set quartered %}
    select
        contact_id,
        {{ dbt.dateadd(
            'minute',
            integer_divide('extract(hour from occurred_at) * 60 + extract(minute from occurred_at)', '15') ~ ' * 15',
            'cast(cast(occurred_at as date) as ' ~ dbt.type_timestamp() ~ ')',
        ) }} as opened_quarter_at
    from events
{%- endset %}

{%- set gained %}
    select
        contact_id,
        opened_quarter_at,
        count(*) as opens
    from quartered
    group by contact_id, opened_quarter_at
{%- endset %}

{{ state_table(
    events_where="event_type = 'email_opened' and not is_machine_open and occurred_at >= "
        ~ window_start_sql(state_window_days()),
    steps={'quartered': quartered},
    gained=gained,
    folds={'opens': 'sum'},
    columns=[
        "contact_id || '|' || cast(opened_quarter_at as " ~ dbt.type_string() ~ ") as contact_open_quarter_id",
        "contact_id",
        "opened_quarter_at",
        "cast(opens as " ~ dbt.type_bigint() ~ ") as opens",
    ],
) }}
