-- Row accounting per source table at the staging boundary:
-- rows_in = rows_kept + rows_rejected + rows_collapsed + rows_erased.
{%- set tables = [
    ('contacts', 'base_marketing__contacts'),
    ('events', 'base_marketing__events'),
    ('contact_tags', 'base_marketing__contact_tags'),
    ('contact_attributes', 'base_marketing__contact_attributes'),
    ('suppressions', 'base_marketing__suppressions'),
    ('erasure_requests', 'base_marketing__erasure_requests'),
    ('fx_rates', 'base_marketing__fx_rates'),
] %}

with

{% for source_table, model in tables %}
    {{ source_table }} as (
        select
            '{{ source_table }}' as source_table,
            count(*) as rows_in,
            sum(case when not is_erased and rejection_reason is null and not is_collapsed then 1 else 0 end)
                as rows_kept,
            sum(case when not is_erased and rejection_reason is not null then 1 else 0 end)
                as rows_rejected,
            sum(case when not is_erased and rejection_reason is null and is_collapsed then 1 else 0 end)
                as rows_collapsed,
            sum(case when is_erased then 1 else 0 end) as rows_erased
        from {{ ref(model) }}
    ),

{% endfor %}
final as (
    {% for source_table, _ in tables %}
        select * from {{ source_table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
