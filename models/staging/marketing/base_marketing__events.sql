-- Materialized as a table: stg_marketing__events, rejected_rows and
-- source_row_accounting all read it, and it holds the expensive de-duplication.
{{ config(materialized='table') }}

-- Every raw event row, cleaned and cast, with its fate: erased, rejected with
-- the first reason that applies (SPEC "Events"), a collapsed duplicate of an
-- event id, or kept. Rejection does not depend on as_of.
with

source as (
    select * from {{ raw_source('events') }}
),

erased as (
    select contact_id from {{ ref('stg_marketing__erased_contacts') }}
),

known_contacts as (
    select distinct contact_id
    from {{ ref('base_marketing__contacts') }}
    where contact_id is not null
),

type_mappings as (
    select
        source_event_type,
        event_type
    from {{ ref('event_type_mappings') }}
),

fx_rates as (
    select * from {{ ref('stg_marketing__fx_rates') }}
),

cleaned as (
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_code('event_type') }} as source_event_type,
        {{ to_utc_timestamp(clean_text('occurred_at')) }} as occurred_at,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('message_id') }} as message_id,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('product_id') }} as product_id,
        {{ clean_code('category') }} as category,
        {{ clean_text('quantity') }} as quantity_text,
        {{ safe_cast(clean_text('quantity'), dbt.type_int()) }} as quantity,
        {{ clean_text('revenue') }} as revenue_text,
        {{ safe_cast(clean_text('revenue'), 'decimal(18,2)') }} as revenue,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_code('device_type') }} as device_type,
        {{ clean_text('url') }} as url,
        {{ clean_text('utm_source') }} as utm_source,
        {{ clean_text('utm_medium') }} as utm_medium,
        {{ clean_text('utm_campaign') }} as utm_campaign,
        {{ clean_code('bounce_type') }} as bounce_type,
        {{ clean_text('is_machine_open') }} as is_machine_open_text,
        {{ parse_boolean('is_machine_open') }} as is_machine_open,
        {{ clean_text('points') }} as points_text,
        {{ safe_cast(clean_text('points'), dbt.type_int()) }} as points,
        {{ row_fingerprint(['event_id', 'contact_id', 'event_type', 'occurred_at', 'campaign_id',
            'message_id', 'order_id', 'product_id', 'category', 'quantity', 'revenue', 'currency',
            'device_type', 'url', 'utm_source', 'utm_medium', 'utm_campaign', 'bounce_type',
            'is_machine_open', 'points']) }} as row_fingerprint
    from source
),

joined as (
    select
        cleaned.*,
        type_mappings.event_type,
        coalesce(cleaned.currency, '{{ var("reporting_currency") }}') as revenue_currency,
        fx_rates.rate_to_reporting,
        erased.contact_id is not null as is_erased,
        known_contacts.contact_id is not null as is_known_contact
    from cleaned
    left join type_mappings on cleaned.source_event_type = type_mappings.source_event_type
    left join fx_rates
        on coalesce(cleaned.currency, '{{ var("reporting_currency") }}') = fx_rates.currency
    left join erased on cleaned.contact_id = erased.contact_id
    left join known_contacts on cleaned.contact_id = known_contacts.contact_id
),

judged as (
    select
        *,
        case
            when event_id is null then 'missing_event_id'
            when contact_id is null then 'missing_contact_id'
            when occurred_at is null then 'missing_timestamp'
            when occurred_at > {{ future_cutoff_sql() }} then 'future_timestamp'
            when event_type is null then 'unknown_event_type'
            when not is_known_contact then 'unknown_contact'
            when event_type = 'purchase' and order_id is null then 'purchase_without_order_id'
            when revenue_text is not null and rate_to_reporting is null then 'missing_fx_rate'
            -- Beyond the SPEC's list: a number or flag that does not parse is
            -- rejected rather than silently read as empty.
            when (quantity_text is not null and quantity is null)
                or (revenue_text is not null and revenue is null)
                or (points_text is not null and points is null)
                or (is_machine_open_text is not null and is_machine_open is null)
                then 'invalid_value'
        end as rejection_reason
    from joined
),

keyed as (
    select
        *,
        {{ record_key('row_fingerprint') }} as event_record_key
    from judged
),

ranked as (
    select
        *,
        -- Only rows that pass every check compete for an event id. The record
        -- key breaks the last ties, so exact copies collapse the same way every run.
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by event_id, rejection_reason is null and not is_erased
                        order by occurred_at asc, contact_id asc, event_type asc, event_record_key asc
                    )
        end as event_id_rank
    from keyed
),

final as (
    select
        event_record_key,
        event_id,
        contact_id,
        event_type,
        source_event_type,
        occurred_at,
        campaign_id,
        message_id,
        order_id,
        product_id,
        category,
        quantity,
        revenue,
        currency,
        revenue_currency,
        rate_to_reporting,
        device_type,
        url,
        utm_source,
        utm_medium,
        utm_campaign,
        bounce_type,
        is_machine_open,
        points,
        is_erased,
        rejection_reason,
        coalesce(event_id_rank > 1, false) as is_collapsed,
        case when event_id_rank > 1 then 'duplicate_event_id' end as collapse_reason
    from ranked
)

select * from final
