-- docs/predictions.md "Purchase propensity": every contact's propensity features
-- as of each snapshot day, kept across runs: the training set's memory. A run
-- whose as_of is a snapshot day (its number of days since 1970-01-01 is a
-- multiple of propensity_snapshot_every_days) replaces that day's rows; other
-- runs add nothing. Contacts created after the day are left out (they did not
-- exist yet). Erased contacts are purged before every run. A feature added to
-- the list becomes a column, null in the snapshots kept before it.
-- depends_on: {{ ref('int_erased_contacts') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    on_schema_change='append_new_columns',
    pre_hook="{% if is_incremental() %}{{ purge_erased(this) }}{% endif %}",
) }}
{%- set days_since_epoch = (as_of_date() - modules.datetime.date(1970, 1, 1)).days %}
{%- set is_snapshot_day = days_since_epoch % (var('propensity_snapshot_every_days') | int) == 0 %}

with

features as (
    select * from {{ ref('int_contacts_propensity_features') }}
),

contacts as (
    select * from {{ ref('int_contacts_resolved') }}
),

final as (
    select
        cast({{ as_of_date_sql() }} as {{ dbt.type_string() }}) || '|' || features.contact_id
            as propensity_snapshot_id,
        {{ as_of_date_sql() }} as snapshot_date,
        features.*
    from features
    inner join contacts on features.contact_id = contacts.contact_id
    where
        {{ 'true' if is_snapshot_day else 'false' }}
        and (contacts.created_at is null or contacts.created_at < {{ as_of_end_sql() }})
)

select * from final
