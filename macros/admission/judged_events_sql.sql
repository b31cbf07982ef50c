{#-
  A select of the staged events of `relation` with what decides their fate:
  the mapped event_type, whether the contact is erased, and the first rejection
  reason that applies (event_rejection_reason). Needs a known_contacts relation.
-#}
{% macro judged_events_sql(relation) %}
    select
        judged_rows.*,
        type_mappings.event_type,
        erased.contact_id is not null as is_erased,
        {{ event_rejection_reason(row='judged_rows') }} as rejection_reason
    from {{ relation }} as judged_rows
    left join {{ ref('event_type_mappings') }} as type_mappings
        on judged_rows.source_event_type = type_mappings.source_event_type
    left join known_contacts on judged_rows.contact_id = known_contacts.contact_id
    left join {{ ref('int_erased_contacts') }} as erased on judged_rows.contact_id = erased.contact_id
    left join {{ ref('int_fx_rates') }} as fx_rates
        on coalesce(judged_rows.currency, '{{ var("reporting_currency") }}') = fx_rates.currency
{%- endmacro %}
