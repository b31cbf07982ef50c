-- sqlfluff:indentation:template_blocks_indent:false
-- (Jinja if/else around whole CTEs does not add an indent level.)
-- Incremental: a daily run re-judges only the raw rows whose fate can have
-- changed (the model description lists them), so cleaning, hashing and ranking
-- are not repeated over the whole event history. A full refresh gives the same rows.
{{ config(
    materialized=events_materialization(),
    unique_key='event_record_key',
    incremental_strategy=events_incremental_strategy(),
    on_schema_change='fail'
) }}

{#- The columns of a judged row, in the order the table keeps them. -#}
{%- set judged_columns = [
    'event_id',
    'contact_id',
    'event_type',
    'source_event_type',
    'occurred_at',
    'campaign_id',
    'message_id',
    'order_id',
    'product_id',
    'category',
    'quantity',
    'revenue',
    'currency',
    'revenue_currency',
    'rate_to_reporting',
    'device_type',
    'url',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'bounce_type',
    'is_machine_open',
    'points',
    'is_erased',
    'rejection_reason'
] %}

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

-- The four values that decide whether an incremental run judges a raw row
-- again, cleaned first so that the filter runs before the costly cleaning.
landed as (
    select
        source.*,
        {{ clean_text('contact_id') }} as judge_contact_id,
        {{ to_utc_timestamp(clean_text('occurred_at')) }} as judge_occurred_at,
        {{ clean_code('event_type') }} as judge_source_event_type,
        coalesce(upper({{ clean_text('currency') }}), '{{ var("reporting_currency") }}') as judge_revenue_currency
    from source
),

{% if is_incremental() %}

-- Late events: everything that occurred within the lookback of the latest
-- event already staged is judged again. Rows dated in the future (as of this
-- run) are left out of the watermark so that one bad date cannot move it.
reprocess_window as (
    select
        {{ dbt.dateadd('day', -var('events_lookback_days'), 'max(occurred_at)') }} as reprocess_from
    from {{ this }}
    where occurred_at <= {{ future_cutoff_sql() }}
),

-- Contacts whose events change fate although the events did not: their
-- contact record has arrived since, or they have been erased since.
changed_contacts as (
    select contact_id
    from {{ this }}
    where rejection_reason = 'unknown_contact'
        and contact_id in (select known_contacts.contact_id from known_contacts)
    union
    select contact_id
    from {{ this }}
    where not is_erased
        and contact_id in (select erased.contact_id from erased)
),

staged_type_mappings as (
    select distinct
        source_event_type,
        event_type
    from {{ this }}
),

-- Source types whose mapping is not the one their staged rows were judged with.
changed_source_types as (
    select staged_type_mappings.source_event_type
    from staged_type_mappings
    left join type_mappings
        on staged_type_mappings.source_event_type = type_mappings.source_event_type
    where staged_type_mappings.event_type is distinct from type_mappings.event_type
),

staged_rates as (
    select distinct
        revenue_currency,
        rate_to_reporting
    from {{ this }}
),

-- Currencies whose FX rate appeared, disappeared or changed.
changed_currencies as (
    select staged_rates.revenue_currency
    from staged_rates
    left join fx_rates on staged_rates.revenue_currency = fx_rates.currency
    where staged_rates.rate_to_reporting is distinct from fx_rates.rate_to_reporting
),

{% set reprocess_condition %}
    judge_occurred_at is null
    or judge_occurred_at >= (select reprocess_window.reprocess_from from reprocess_window)
    or (select reprocess_window.reprocess_from from reprocess_window) is null
    or judge_contact_id in (select changed_contacts.contact_id from changed_contacts)
    or judge_source_event_type in (select changed_source_types.source_event_type from changed_source_types)
    or judge_revenue_currency in (select changed_currencies.revenue_currency from changed_currencies)
{% endset %}

to_judge as (
    select * from landed
    where {{ reprocess_condition }}
),

{% else %}

to_judge as (
    select * from landed
),

{% endif %}

cleaned as (
    select
        {{ clean_text('event_id') }} as event_id,
        judge_contact_id as contact_id,
        judge_source_event_type as source_event_type,
        judge_occurred_at as occurred_at,
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
        judge_revenue_currency as revenue_currency,
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
    from to_judge
),

joined as (
    select
        cleaned.*,
        type_mappings.event_type,
        fx_rates.rate_to_reporting,
        erased.contact_id is not null as is_erased,
        known_contacts.contact_id is not null as is_known_contact
    from cleaned
    left join type_mappings on cleaned.source_event_type = type_mappings.source_event_type
    left join fx_rates on cleaned.revenue_currency = fx_rates.currency
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
        {{ record_key('row_fingerprint') }} as event_record_key,
        {{ judged_columns | join(',\n        ') }}
    from judged
),

{% if is_incremental() %}

judged_event_ids as (
    select distinct event_id
    from keyed
    where event_id is not null
),

-- Kept or collapsed copies staged earlier that compete for an event id with a
-- row judged now: the winner is chosen again among all of them. Found on a
-- narrow projection first, then fetched whole.
competitor_keys as (
    select staged.event_record_key
    from (
        select
            event_id,
            event_record_key,
            occurred_at as judge_occurred_at,
            contact_id as judge_contact_id,
            source_event_type as judge_source_event_type,
            revenue_currency as judge_revenue_currency
        from {{ this }}
        where rejection_reason is null and not is_erased
    ) as staged
    inner join judged_event_ids on staged.event_id = judged_event_ids.event_id
    where not ({{ reprocess_condition }})
),

competitors as (
    select
        event_record_key,
        {{ judged_columns | join(',\n        ') }}
    from {{ this }}
    where event_record_key in (select competitor_keys.event_record_key from competitor_keys)
),

candidates as (
    select * from keyed
    union all
    select * from competitors
),

{% else %}

candidates as (
    select * from keyed
),

{% endif %}

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
    from candidates
),

final as (
    select
        event_record_key,
        {{ judged_columns | join(',\n        ') }},
        coalesce(event_id_rank > 1, false) as is_collapsed,
        case when event_id_rank > 1 then 'duplicate_event_id' end as collapse_reason
    from ranked
)

select * from final
