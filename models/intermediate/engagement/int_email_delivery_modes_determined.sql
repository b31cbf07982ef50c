-- SPEC "Email engagement": deliveries are email_delivered events, or email_sent
-- events when the kept events of any date hold no email_delivered at all (a
-- platform that does not report deliveries). One row, read by the engagement
-- and sendability models.
with

deliveries as (
    select count(*) as delivered_events
    from {{ ref('stg_marketing__events') }}
    where event_type = 'email_delivered'
),

final as (
    select
        'all' as delivery_mode_scope,
        delivered_events = 0 as sends_stand_in_for_deliveries
    from deliveries
)

select * from final
