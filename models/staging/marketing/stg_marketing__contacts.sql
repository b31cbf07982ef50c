with

records as (
    select * from {{ ref('base_marketing__contacts') }}
),

final as (
    select
        contact_id,
        email,
        is_email_valid,
        first_name,
        last_name,
        phone,
        birth_date,
        gender,
        country,
        region,
        city,
        postal_code,
        timezone,
        language,
        source,
        consent_status,
        created_at,
        updated_at
    from records
    where not is_erased and rejection_reason is null and not is_collapsed
)

select * from final
