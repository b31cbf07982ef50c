-- docs/consent.md: per person with bounces, the soft bounces since the latest
-- delivery outcome that is not a soft bounce (a delivery, or where sends stand in
-- for deliveries a send whose message did not bounce, or a hard bounce). A bounce
-- without or with an unknown bounce_type counts as soft; on equal timestamps a
-- bounce is taken as the later outcome.
with

bounces as (
    select * from {{ ref('int_email_bounces') }}
),

outcomes as (
    select
        contact_id,
        case
            when {{ sends_stand_in_for_deliveries_sql() }} then case when not has_bounced then last_sent_at end
            else last_delivered_at
        end as outcome_at
    from {{ ref('int_email_messages') }}
    union all
    select
        contact_id,
        occurred_at as outcome_at
    from bounces
    where not is_soft
),

last_breaks as (
    select
        contact_id,
        max(outcome_at) as last_non_soft_outcome_at
    from outcomes
    group by contact_id
),

final as (
    select
        bounces.contact_id,
        {{ count_where('bounces.is_soft and (last_breaks.last_non_soft_outcome_at is null'
            ~ ' or bounces.occurred_at >= last_breaks.last_non_soft_outcome_at)') }} as trailing_soft_bounces
    from bounces
    left join last_breaks on bounces.contact_id = last_breaks.contact_id
    group by bounces.contact_id
)

select * from final
