-- One usable rate per currency (docs/money.md): the kept FX rate rows, and the
-- reporting currency at 1 whether or not the file lists it.
with

rates as (
    select
        currency,
        rate_to_reporting
    from {{ ref('int_fx_rates_admitted') }}
    where rejection_reason is null and not is_collapsed and currency != '{{ var("reporting_currency") }}'
),

reporting as (
    select
        '{{ var("reporting_currency") }}' as currency,
        cast(1 as decimal(18, 10)) as rate_to_reporting
),

final as (
    select * from rates
    union all
    select * from reporting
)

select * from final
