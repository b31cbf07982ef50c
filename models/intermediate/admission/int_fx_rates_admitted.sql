-- Every FX rate row with its fate (docs/money.md). A currency listed with two
-- different rates is ambiguous: all its rows are rejected rather than one
-- picked at random; the same rate listed again is collapsed.
with

rates as (
    select * from {{ ref('stg_marketing__fx_rates') }}
),

judged as (
    select
        *,
        case
            when {{ is_unreadable_row() }} then 'unreadable_row'
            when currency is null then 'missing_currency'
            when rate_to_reporting is null or rate_to_reporting <= 0 then 'invalid_fx_rate'
        end as invalid_reason
    from rates
),

rates_per_currency as (
    select
        currency,
        count(distinct rate_to_reporting) as distinct_rates
    from judged
    where invalid_reason is null
    group by currency
),

decided as (
    select
        judged.fx_rate_row_id,
        judged.currency,
        judged.rate_to_reporting,
        case
            when judged.invalid_reason is not null then judged.invalid_reason
            when rates_per_currency.distinct_rates > 1 then 'ambiguous_fx_rate'
        end as rejection_reason,
        judged.invalid_reason is null
        and rates_per_currency.distinct_rates = 1
        and row_number() over (
            partition by judged.currency, judged.invalid_reason
            order by judged.fx_rate_row_id
        ) > 1 as is_collapsed
    from judged
    left join rates_per_currency on judged.currency = rates_per_currency.currency
),

final as (
    select
        fx_rate_row_id,
        currency,
        rate_to_reporting,
        rejection_reason,
        is_collapsed,
        case when is_collapsed then 'duplicate_fx_rate' end as collapse_reason
    from decided
)

select * from final
