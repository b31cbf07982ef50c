-- sqlfluff:indentation:template_blocks_indent:false
-- (Jinja if/else around whole CTEs does not add an indent level.)
-- Incremental: a daily run re-judges only the raw rows whose fate can have
-- changed (the model description lists them), so cleaning and ranking are not
-- repeated over the whole event history. A full refresh gives the same rows.
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

{#-
  The raw values a row's fate is decided on (SPEC "Events"), cleaned: which
  rows an incremental run judges again is decided on these alone.
-#}
{%- set judge_values = [
    clean_text('contact_id') ~ ' as judge_contact_id',
    to_utc_timestamp(clean_text('occurred_at')) ~ ' as judge_occurred_at',
    clean_code('event_type') ~ ' as judge_source_event_type',
    'coalesce(upper(' ~ clean_text('currency') ~ "), '" ~ var('reporting_currency') ~ "') as judge_revenue_currency"
] %}

{#-
  The order of the copies of one event id, which numbers them in their record
  keys: the SPEC's collapse order first, then every other cleaned value and the
  rejection reason (a value that does not parse is stored as null, like an empty
  one), so that two copies tie only when they are stored alike, and then either
  order gives the same table.
-#}
{%- set copy_order = [
    'occurred_at', 'contact_id', 'event_type', 'source_event_type', 'campaign_id', 'message_id',
    'order_id', 'product_id', 'category', 'quantity', 'revenue', 'currency', 'device_type', 'url',
    'utm_source', 'utm_medium', 'utm_campaign', 'bounce_type', 'is_machine_open', 'points',
    'rejection_reason'
] %}

-- Every raw event row, cleaned and cast, with its fate: erased, rejected with
-- the first reason that applies (SPEC "Events"), a collapsed duplicate of an
-- event id, or kept. Rejection does not depend on as_of.
with

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

-- The raw ids of the rows to judge again, found on the few columns the
-- condition reads: the branch below then fetches only the rows of those ids
-- (DuckDB pushes the semi join into the scan) instead of carrying every raw
-- column of every row through the condition. Rows without a raw id are few.
rejudged_raw_ids as (
    select distinct raw_event_id
    from (
        select
            event_id as raw_event_id,
            {{ judge_values | join(',\n            ') }}
        from {{ raw_source('events') }}
    ) as judge_values
    where {{ reprocess_condition }}
),

{% set branches = [(
    'rejudged',
    'event_id in (select rejudged_raw_ids.raw_event_id from rejudged_raw_ids)\n                or event_id is null',
    reprocess_condition
)] %}
{% set ranking_input = 'candidates' %}

{% else %}

-- Most event ids occur once: their rows need no ranking, and ranking only the
-- others keeps the costly sort to a small share of the rows.
repeated_event_ids as (
    select event_id
    from (
        select {{ clean_text('event_id') }} as event_id
        from {{ raw_source('events') }}
    ) as raw_event_ids
    where event_id is not null
    group by event_id
    having count(*) > 1
),

{% set branches = [
    ('single_copies', 'judge_event_id is not null\n                and judge_event_id not in (select repeated_event_ids.event_id from repeated_event_ids)', 'true'),
    ('repeated_copies', 'judge_event_id is null\n                or judge_event_id in (select repeated_event_ids.event_id from repeated_event_ids)', 'true'),
] %}
{% set ranking_input = 'repeated_copies' %}

{% endif %}

-- Each branch cleans, casts and judges the raw rows its filters select: one on
-- the cleaned event id alone, then one on all the judge_ values, each applied
-- before the cleaning that follows it (parsing 50M timestamps costs seconds).
-- Each reads the raw table itself: DuckDB materializes a CTE that is read
-- twice, which for the raw events costs more than a second scan.
{% for name, id_filter, row_filter in branches %}
{{ name }} as (
    select
        landed.judge_event_id as event_id,
        landed.judge_contact_id as contact_id,
        type_mappings.event_type,
        landed.judge_source_event_type as source_event_type,
        landed.judge_occurred_at as occurred_at,
        landed.campaign_id,
        landed.message_id,
        landed.order_id,
        landed.product_id,
        landed.category,
        landed.quantity,
        landed.revenue,
        landed.currency,
        landed.judge_revenue_currency as revenue_currency,
        fx_rates.rate_to_reporting,
        landed.device_type,
        landed.url,
        landed.utm_source,
        landed.utm_medium,
        landed.utm_campaign,
        landed.bounce_type,
        landed.is_machine_open,
        landed.points,
        erased.contact_id is not null as is_erased,
        case
            when landed.judge_event_id is null then 'missing_event_id'
            when landed.judge_contact_id is null then 'missing_contact_id'
            when landed.judge_occurred_at is null then 'missing_timestamp'
            when landed.judge_occurred_at > {{ future_cutoff_sql() }} then 'future_timestamp'
            when type_mappings.event_type is null then 'unknown_event_type'
            when known_contacts.contact_id is null then 'unknown_contact'
            when type_mappings.event_type = 'purchase' and landed.order_id is null then 'purchase_without_order_id'
            when landed.revenue_text is not null and fx_rates.rate_to_reporting is null then 'missing_fx_rate'
            -- Beyond the SPEC's list: a number or flag that does not parse is
            -- rejected rather than silently read as empty.
            when (landed.quantity_text is not null and landed.quantity is null)
                or (landed.revenue_text is not null and landed.revenue is null)
                or (landed.points_text is not null and landed.points is null)
                or (landed.is_machine_open_text is not null and landed.is_machine_open is null)
                then 'invalid_value'
        end as rejection_reason
    from (
        select
            judge_event_id,
            judge_contact_id,
            judge_source_event_type,
            judge_occurred_at,
            judge_revenue_currency,
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
            {{ safe_cast(clean_text('points'), dbt.type_int()) }} as points
        from (
            select
                raw_identified.*,
                {{ judge_values | join(',\n                ') }}
            from (
                select
                    raw_events.*,
                    {{ clean_text('event_id') }} as judge_event_id
                from {{ raw_source('events') }} as raw_events
            ) as raw_identified
            where {{ id_filter }}
        ) as filterable
        where {{ row_filter }}
    ) as landed
    left join type_mappings on landed.judge_source_event_type = type_mappings.source_event_type
    left join fx_rates on landed.judge_revenue_currency = fx_rates.currency
    left join erased on landed.judge_contact_id = erased.contact_id
    left join known_contacts on landed.judge_contact_id = known_contacts.contact_id
),

{% endfor %}

{% if is_incremental() %}

-- The staged copies of every event id judged now (all copies: the copy numbers
-- of the whole id are given again) that are not judged again themselves, found
-- on a narrow projection first and then fetched whole. Rows without an id form
-- one group, under the empty id (no cleaned id is empty). One join on that
-- group, not an id join beside a null-id branch: one scan of the staged table
-- (measured no slower at 51.7M rows).
rejudged_event_groups as (
    select distinct coalesce(event_id, '') as event_group
    from rejudged
),

competitor_keys as (
    select staged.event_record_key
    from (
        select
            event_record_key,
            coalesce(event_id, '') as event_group,
            occurred_at as judge_occurred_at,
            contact_id as judge_contact_id,
            source_event_type as judge_source_event_type,
            revenue_currency as judge_revenue_currency
        from {{ this }}
    ) as staged
    inner join rejudged_event_groups on staged.event_group = rejudged_event_groups.event_group
    where not ({{ reprocess_condition }})
),

competitors as (
    select {{ judged_columns | join(', ') }}
    from {{ this }}
    where event_record_key in (select competitor_keys.event_record_key from competitor_keys)
),

candidates as (
    select {{ judged_columns | join(', ') }} from rejudged
    union all
    select {{ judged_columns | join(', ') }} from competitors
),

{% endif %}

-- The copies of each event id are numbered (record key: the id, '#', the copy
-- number; rows without an id share the key '#<n>') and all but the first
-- valid copy of an id are collapsed.
numbered as (
    select
        *,
        row_number() over (
            partition by event_id
            order by
                {{ copy_order | join(' asc nulls last,\n                ') }} asc nulls last
        ) as copy_number
    from {{ ranking_input }}
),

ranked as (
    select
        coalesce(event_id, '') || '#' || cast(copy_number as {{ dbt.type_string() }}) as event_record_key,
        {{ judged_columns | join(',\n        ') }},
        -- Only rows that pass every check compete for an event id.
        case
            when rejection_reason is null and not is_erased
                then row_number() over (
                        partition by event_id, rejection_reason is null and not is_erased
                        order by copy_number asc
                    )
        end as event_id_rank
    from numbered
),

final as (
    {% if not is_incremental() %}
    select
        event_id || '#1' as event_record_key,
        {{ judged_columns | join(',\n        ') }},
        false as is_collapsed,
        cast(null as {{ dbt.type_string() }}) as collapse_reason
    from single_copies
    union all
    {% endif %}
    select
        event_record_key,
        {{ judged_columns | join(',\n        ') }},
        coalesce(event_id_rank > 1, false) as is_collapsed,
        case when event_id_rank > 1 then 'duplicate_event_id' end as collapse_reason
    from ranked
)

select * from final
