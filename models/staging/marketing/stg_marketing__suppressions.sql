-- One row per suppressed normalised email. A null suppressed_at (date unknown)
-- sorts first: an email of unknown suppression date is treated as always suppressed.
with

suppressions as (
    select * from {{ ref('base_marketing__suppressions') }}
    where not is_erased and rejection_reason is null and not is_collapsed
),

final as (
    select
        email,
        reason,
        suppressed_at
    from suppressions
)

select * from final
