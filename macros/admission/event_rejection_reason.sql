{#-
  The first rejection reason that applies to a staged event (docs/landing.md
  "Rejected rows", in their order of precedence), or null. The arguments name
  the joined relations: the staged row, its type mapping, its contact (null
  when unknown) and its FX rate (null when none). A value that did not parse is
  invalid_value (beyond the reasons of the list: rejected rather than read as empty).
-#}
{% macro event_rejection_reason(row='staged', mapping='type_mappings', contact='known_contacts', rate='fx_rates') %}
    case
        when {{ is_unreadable_row(row) }} then 'unreadable_row'
        when {{ row }}.event_id is null then 'missing_event_id'
        when {{ row }}.contact_id is null then 'missing_contact_id'
        when {{ row }}.occurred_at is null then 'missing_timestamp'
        when {{ row }}.occurred_at > {{ future_cutoff_sql() }} then 'future_timestamp'
        when {{ mapping }}.event_type is null then 'unknown_event_type'
        when {{ contact }}.contact_id is null then 'unknown_contact'
        when {{ mapping }}.event_type = 'purchase' and {{ row }}.order_id is null then 'purchase_without_order_id'
        when ({{ row }}.revenue is not null or ',' || {{ row }}.unparsed_columns || ',' like '%,revenue,%')
            and {{ rate }}.rate_to_reporting is null then 'missing_fx_rate'
        when {{ row }}.unparsed_values is not null then 'invalid_value'
    end
{%- endmacro %}
