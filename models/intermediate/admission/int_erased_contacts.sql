-- Every contact id that is erased (docs/identity.md "Erasure"): the ids of the
-- erasure requests, every id whose record carries a requested email, and every
-- id sharing a valid email with an erased id (the merged person). Erasure comes
-- before everything else and applies to every as_of. Erasure is forever, so a
-- run only appends the ids erased since the last one (erased_in_run).
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    materialized=incremental_materialization(holds_state=true),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ clear_rebuilt_state(this) }}",
) }}

with

requests as (
    select
        contact_id,
        email
    from {{ ref('stg_marketing__erasure_requests') }}
),

contact_records as (
    select
        contact_id,
        email,
        {{ is_valid_email('email') }} as is_email_valid
    from {{ ref('stg_marketing__contacts') }}
),

erased_emails as (
    select email from requests
    where email is not null
    union
    select contact_records.email
    from contact_records
    inner join requests on contact_records.contact_id = requests.contact_id
    where contact_records.is_email_valid
),

erased_ids as (
    select contact_id from requests
    where contact_id is not null
    union
    select contact_records.contact_id
    from contact_records
    inner join erased_emails on contact_records.email = erased_emails.email
    where contact_records.contact_id is not null
),

final as (
    select
        contact_id,
        '{{ invocation_id }}' as erased_in_run
    from erased_ids
    {%- if not state_is_rebuilt() %}
        where contact_id not in (select previously.contact_id from {{ this }} as previously)
    {%- endif %}
)

select * from final
