-- One rate per currency. The reporting currency always converts at 1, whether
-- or not the file lists it.
with

rates as (
    select * from {{ ref('base_marketing__fx_rates') }}
    where rejection_reason is null and not is_collapsed
),

reporting as (
    select
        '{{ var("reporting_currency") }}' as currency,
        cast(1 as decimal(18, 10)) as rate_to_reporting
),

final as (
    select
        currency,
        rate_to_reporting
    from rates
    where currency != '{{ var("reporting_currency") }}'
    union all
    select
        currency,
        rate_to_reporting
    from reporting
)

select * from final
