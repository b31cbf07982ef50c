-- Every raw erasure request. A request naming neither an id nor an email can
-- erase nobody and is rejected so that someone follows it up.
with

source as (
    select * from {{ raw_source('erasure_requests') }}
),

cleaned as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ normalize_email('email') }} as email,
        {{ to_utc_timestamp(clean_text('requested_at')) }} as requested_at,
        {{ row_fingerprint(['contact_id', 'email', 'requested_at']) }} as row_fingerprint
    from source
),

final as (
    select
        {{ record_key('row_fingerprint') }} as erasure_request_record_key,
        contact_id,
        email,
        requested_at,
        false as is_erased,
        case
            when contact_id is null and email is null then 'missing_contact_id_and_email'
        end as rejection_reason,
        false as is_collapsed,
        cast(null as {{ dbt.type_string() }}) as collapse_reason
    from cleaned
)

select * from final
