-- The persons whose site traits (int_contacts_site_traits_evaluated) a delta run
-- recomputes (docs/incremental.md "Feature tables"): the persons whose state the run
-- changes (int_state_persons), and the persons one of whose trait days leaves a
-- window of the traits as as_of moves on (traits_change_date, held by the traits
-- table as the last run left it). Empty in a full run, which recomputes everyone.
-- depends_on: {{ ref('int_incremental_runs') }}
-- A table, not a view like the other activity models: the traits table's pre-hook
-- deletes these persons before the traits read them again.
{{ config(materialized='table') }}
{%- set run = incremental_run() %}
{%- set persons = ref('int_state_persons') %}

{% if run.mode == 'delta' %}
with

state_persons as (
    select contact_id from {{ persons }}
),

window_persons as (
    select contact_id from {{ previous_state('int_contacts_site_traits_evaluated') }}
    where traits_change_date <= {{ as_of_date_sql() }}
),

final as (
    select contact_id from state_persons
    union
    select contact_id from window_persons
)

select * from final
{% else %}
    select cast(null as {{ dbt.type_string() }}) as contact_id
    where false
{% endif %}
