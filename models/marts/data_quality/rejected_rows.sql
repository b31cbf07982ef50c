-- Every landing row that did not become a kept row, except erased ones
-- (docs/landing.md "Rejected rows"): rejected rows with the first reason that
-- applied, and collapsed copies with the reason they were collapsed, each with
-- its batch (file) and row number there, so that a user can find it, and the
-- values that did not parse as they arrived. Nothing of an erased person is listed.

with

batches as (
    select
        load_batch_number,
        batch_name
    from {{ ref('stg_marketing__load_batches') }}
),

{% for table in landing_tables() %}
    {%- set admission = admission_of(table) %}
    {{ table }} as (
        select
            '{{ table }}' as source_table,
            {%- if is_reference_table(table) %}
                cast(null as {{ dbt.type_int() }}) as load_batch_number,
                {{ admission.row_id }} as batch_row_number,
                cast(null as {{ dbt.type_string() }}) as unparsed_values,
            {%- else %}
                load_batch_number,
                batch_row_number,
                {{ 'unparsed_values' if table == 'events' else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                    as unparsed_values,
            {%- endif %}
            cast({{ admission.row_key }} as {{ dbt.type_string() }}) as row_key,
            cast({{ admission.contact_id }} as {{ dbt.type_string() }}) as contact_id,
            coalesce(rejection_reason, collapse_reason) as reason,
            case when rejection_reason is not null then 'rejected' else 'collapsed' end as disposition
        from {{ ref(admission.model) }}
        where {{ 'not is_erased and ' if not admission.all_rows }}(rejection_reason is not null or is_collapsed)
    ),

{% endfor %}
unioned as (
    {% for table in landing_tables() %}
        select * from {{ table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        unioned.source_table || ':' || coalesce(batches.batch_name, unioned.source_table) || ':'
        || cast(unioned.batch_row_number as {{ dbt.type_string() }}) as rejected_row_id,
        unioned.source_table,
        coalesce(batches.batch_name, unioned.source_table) as batch_name,
        unioned.batch_row_number,
        unioned.row_key,
        unioned.contact_id,
        unioned.reason,
        unioned.disposition,
        unioned.unparsed_values
    from unioned
    left join batches on unioned.load_batch_number = batches.load_batch_number
)

select * from final
