-- Every staged suppression row with its fate: erased (an erased person's email),
-- rejected (no email), collapsed (the email again: the earliest suppression
-- stays), or kept.
with

suppressions as (
    select * from {{ ref('stg_marketing__suppressions') }}
),

erased_emails as (
    select email from {{ ref('int_erased_emails') }}
),

judged as (
    select
        suppressions.*,
        erased_emails.email is not null as is_erased,
        case
            when {{ is_unreadable_row('suppressions') }} then 'unreadable_row'
            when suppressions.email is null then 'missing_email'
        end as rejection_reason
    from suppressions
    left join erased_emails on suppressions.email = erased_emails.email
),

ranked as (
    select
        *,
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by email, rejection_reason is null and not is_erased
                        order by suppressed_at asc nulls first, reason asc, suppression_row_id asc
                    )
        end as suppression_rank
    from judged
),

final as (
    select
        suppression_row_id,
        load_batch_number,
        batch_row_number,
        email,
        reason,
        suppressed_at,
        rejection_reason,
        coalesce(suppression_rank > 1, false) as is_collapsed,
        case when suppression_rank > 1 then 'duplicate_suppression' end as collapse_reason
    from ranked
    where not is_erased
)

select * from final
