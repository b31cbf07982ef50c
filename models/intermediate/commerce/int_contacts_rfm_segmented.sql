-- SPEC "Purchases and RFM": the rfm_segment of each person from its R and F
-- scores through the R x F grid (macros/rfm_segment.sql); prospect without orders.
with

scores as (
    select * from {{ ref('int_contacts_rfm_scored') }}
),

final as (
    select
        contact_id,
        {{ rfm_segment('r_score', 'f_score') }} as rfm_segment
    from scores
)

select * from final
