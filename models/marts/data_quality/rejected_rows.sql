-- Every source row that did not become a kept staging row, except erased ones:
-- rejected rows with the first reason that applied, and collapsed duplicates
-- with the reason they were collapsed. Nothing of an erased person is listed.
{%- set tables = [
    ('contacts', 'base_marketing__contacts', 'contact_record_key', 'contact_id', 'contact_id'),
    ('events', 'base_marketing__events', 'event_record_key', 'event_id', 'contact_id'),
    ('contact_tags', 'base_marketing__contact_tags', 'contact_tag_record_key', 'tag', 'contact_id'),
    ('contact_attributes', 'base_marketing__contact_attributes', 'contact_attribute_record_key', 'attribute_name', 'contact_id'),
    ('suppressions', 'base_marketing__suppressions', 'suppression_record_key', 'email', 'null'),
    ('erasure_requests', 'base_marketing__erasure_requests', 'erasure_request_record_key', 'null', 'null'),
    ('fx_rates', 'base_marketing__fx_rates', 'fx_rate_record_key', 'currency', 'null'),
] %}

with

{% for source_table, model, record_key, row_key, contact_id in tables %}
    {{ source_table }} as (
        select
            '{{ source_table }}' as source_table,
            {{ record_key }} as source_record_key,
            cast({{ row_key }} as {{ dbt.type_string() }}) as row_key,
            cast({{ contact_id }} as {{ dbt.type_string() }}) as contact_id,
            coalesce(rejection_reason, collapse_reason) as reason,
            case when rejection_reason is not null then 'rejected' else 'collapsed' end as disposition
        from {{ ref(model) }}
        where not is_erased and (rejection_reason is not null or is_collapsed)
    ),

{% endfor %}
unioned as (
    {% for source_table, _, _, _, _ in tables %}
        select * from {{ source_table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table || ':' || source_record_key as rejected_row_id,
        source_table,
        source_record_key,
        row_key,
        contact_id,
        reason,
        disposition
    from unioned
)

select * from final
