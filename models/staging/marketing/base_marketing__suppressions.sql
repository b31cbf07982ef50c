-- Every raw suppression row with its fate. An email suppressed several times
-- keeps its earliest suppression; a row without an email cannot suppress anyone.
with

source as (
    select * from {{ raw_source('suppressions') }}
),

erased_emails as (
    select email from {{ ref('stg_marketing__erased_emails') }}
),

cleaned as (
    select
        {{ normalize_email('email') }} as email,
        {{ clean_code('reason') }} as reason,
        {{ to_utc_timestamp(clean_text('suppressed_at')) }} as suppressed_at,
        {{ row_fingerprint(['email', 'reason', 'suppressed_at']) }} as row_fingerprint
    from source
),

judged as (
    select
        cleaned.*,
        {{ record_key('cleaned.row_fingerprint') }} as suppression_record_key,
        erased_emails.email is not null as is_erased,
        case when cleaned.email is null then 'missing_email' end as rejection_reason
    from cleaned
    left join erased_emails on cleaned.email = erased_emails.email
),

ranked as (
    select
        *,
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by email, rejection_reason is null and not is_erased
                        order by suppressed_at asc nulls first, reason asc, suppression_record_key asc
                    )
        end as suppression_rank
    from judged
),

final as (
    select
        suppression_record_key,
        email,
        reason,
        suppressed_at,
        is_erased,
        rejection_reason,
        coalesce(suppression_rank > 1, false) as is_collapsed,
        case when suppression_rank > 1 then 'duplicate_suppression' end as collapse_reason
    from ranked
)

select * from final
