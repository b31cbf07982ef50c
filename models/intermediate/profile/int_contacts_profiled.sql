-- Per person, what they told us as of as_of (docs/profile.md): age in whole
-- years (null for a missing or future birth date), an age band, birth month and
-- day (the birthday by the contact's own date: int_contacts_local_time_evaluated), days since the contact was
-- created, the canonical acquisition_source (one of the acquisition_sources var,
-- else other), their tags and their custom attributes.
{%- set as_of = as_of_date_sql() %}

with

contacts as (
    select * from {{ ref('int_contacts_resolved') }}
),

aged as (
    select
        contact_id,
        birth_date,
        created_at,
        case
            when birth_date is null or birth_date > {{ as_of }} then null
            else
                extract(year from {{ as_of }}) - extract(year from birth_date)
                - case
                    when
                        extract(month from {{ as_of }}) * 100 + extract(day from {{ as_of }})
                        < extract(month from birth_date) * 100 + extract(day from birth_date)
                        then 1
                    else 0
                end
        end as age,
        replace(replace(source, ' ', '_'), '-', '_') as source_code
    from contacts
),

derived as (
    select
        contact_id,
        cast(age as {{ dbt.type_int() }}) as age,
        case
            when age is null then null
            when age < 18 then 'under_18'
            when age < 25 then '18_24'
            when age < 35 then '25_34'
            when age < 45 then '35_44'
            when age < 55 then '45_54'
            when age < 65 then '55_64'
            else '65_plus'
        end as age_band,
        cast(extract(month from birth_date) as {{ dbt.type_int() }}) as birth_month,
        cast(extract(day from birth_date) as {{ dbt.type_int() }}) as birth_day,
        {{ days_since('created_at') }} as days_since_created,
        case
            -- The list renders on one line, as long as it is.
            when source_code in ('{{ var("acquisition_sources") | join("', '") }}') then source_code  -- noqa: LT05
            else 'other'
        end as acquisition_source
    from aged
),

final as (
    select
        derived.*,
        {% for attribute in custom_attributes() %}
            attributes.attr_{{ attribute['name'] }},
        {% endfor %}
        tags.tags,
        tags.tag_count
    from derived
    inner join {{ ref('int_contacts_tags_aggregated') }} as tags on derived.contact_id = tags.contact_id
    inner join {{ ref('int_contacts_attributes_pivoted') }} as attributes on derived.contact_id = attributes.contact_id
)

select * from final
