-- Every raw FX rate row with its fate. A currency listed with two different
-- rates is ambiguous: all its rows are rejected rather than one picked at random.
with

source as (
    select * from {{ raw_source('fx_rates') }}
),

cleaned as (
    select
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_text('rate_to_reporting') }} as rate_text,
        {{ safe_cast(clean_text('rate_to_reporting'), 'decimal(18,10)') }} as rate_to_reporting,
        {{ row_fingerprint(['currency', 'rate_to_reporting']) }} as row_fingerprint
    from source
),

judged as (
    select
        *,
        {{ record_key('row_fingerprint') }} as fx_rate_record_key,
        case
            when currency is null then 'missing_currency'
            when rate_to_reporting is null or rate_to_reporting <= 0 then 'invalid_fx_rate'
        end as invalid_reason
    from cleaned
),

rates_per_currency as (
    select
        currency,
        count(distinct rate_to_reporting) as distinct_rates
    from judged
    where invalid_reason is null
    group by currency
),

final as (
    select
        judged.fx_rate_record_key,
        judged.currency,
        judged.rate_to_reporting,
        false as is_erased,
        case
            when judged.invalid_reason is not null then judged.invalid_reason
            when rates_per_currency.distinct_rates > 1 then 'ambiguous_fx_rate'
        end as rejection_reason,
        judged.invalid_reason is null
        and rates_per_currency.distinct_rates = 1
        and row_number() over (
            partition by judged.currency, judged.invalid_reason
            order by judged.fx_rate_record_key
        ) > 1 as is_collapsed,
        'duplicate_fx_rate' as collapse_reason
    from judged
    left join rates_per_currency on judged.currency = rates_per_currency.currency
)

select
    fx_rate_record_key,
    currency,
    rate_to_reporting,
    is_erased,
    rejection_reason,
    is_collapsed,
    case when is_collapsed then collapse_reason end as collapse_reason
from final
