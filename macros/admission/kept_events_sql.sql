{#-
  The select of the kept events up to the end of as_of (docs/landing.md):
  staged events that are not dropped, with their canonical type, revenue in the
  reporting currency at full precision, re-keyed to their person; events of
  contacts that do not exist yet as of as_of are left out. `staged_filter`
  narrows the staged rows first (a condition on stg_marketing__events columns),
  so that a slice costs what the slice holds. int_events_resolved is this with
  no filter.
-#}
{% macro kept_events_sql(staged_filter='true') %}
    select
        staged.event_row_id,
        staged.load_batch_number,
        staged.event_id,
        coalesce(remapped.canonical_contact_id, staged.contact_id) as contact_id,
        staged.contact_id as source_contact_id,
        type_mappings.event_type,
        staged.occurred_at,
        staged.campaign_id,
        staged.message_id,
        staged.order_id,
        staged.product_id,
        staged.category,
        staged.quantity,
        staged.revenue,
        coalesce(staged.currency, '{{ var("reporting_currency") }}') as currency,
        staged.revenue * fx_rates.rate_to_reporting as revenue_reporting,
        staged.device_type,
        staged.url,
        staged.utm_source,
        staged.utm_medium,
        staged.utm_campaign,
        staged.bounce_type,
        coalesce(staged.is_machine_open, false) as is_machine_open,
        staged.points,
        staged.search_term
    from {{ ref('stg_marketing__events') }} as staged
    inner join {{ ref('event_type_mappings') }} as type_mappings
        on staged.source_event_type = type_mappings.source_event_type
    left join {{ ref('int_fx_rates') }} as fx_rates
        on coalesce(staged.currency, '{{ var("reporting_currency") }}') = fx_rates.currency
    left join {{ ref('int_contact_ids_remapped') }} as remapped on staged.contact_id = remapped.contact_id
    where
        ({{ staged_filter }})
        and staged.occurred_at < {{ as_of_end_sql() }}
        -- not exists rather than a left join and `is null`: DuckDB then builds its hash table on the
        -- dropped rows, not on the staged ones it misestimates (docs/decisions.md)
        and not exists (
            select 1 from {{ ref('int_events_dropped') }} as dropped
            where dropped.event_row_id = staged.event_row_id
        )
        and (remapped.contact_id is null or remapped.canonical_contact_id is not null)
{%- endmacro %}
