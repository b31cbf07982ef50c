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
            cast(count(*) as {{ dbt.type_bigint() }}) as rows_in,
            {{ count_where('not is_erased and rejection_reason is null and not is_collapsed') }}
                as rows_kept,
            {{ count_where('not is_erased and rejection_reason is not null') }}
                as rows_rejected,
            {{ count_where('not is_erased and rejection_reason is null and is_collapsed') }}
                as rows_collapsed,
            {{ count_where('is_erased') }} as rows_erased
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
