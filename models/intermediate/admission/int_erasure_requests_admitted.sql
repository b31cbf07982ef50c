-- Every staged erasure request with its fate. A request naming neither an id
-- nor an email can erase nobody and is rejected, so that someone follows it up.
-- The ids and emails of the others name erased persons: they stay in staging
-- and int_erased_contacts, and are not carried here.
with

requests as (
    select * from {{ ref('stg_marketing__erasure_requests') }}
),

final as (
    select
        erasure_request_row_id,
        load_batch_number,
        batch_row_number,
        requested_at,
        case
            when {{ is_unreadable_row() }} then 'unreadable_row'
            when contact_id is null and email is null then 'missing_contact_id_and_email'
        end as rejection_reason,
        false as is_collapsed,
        cast(null as {{ dbt.type_string() }}) as collapse_reason
    from requests
)

select * from final
