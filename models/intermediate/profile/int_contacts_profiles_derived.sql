-- Demographics people segment on, as of as_of: age in whole years (null for a
-- missing or future birth date), an age band, birth month and day, whether the
-- birthday falls in the as_of month, days since the contact was created, and the
-- canonical acquisition_source (SPEC "Site activity and purchase history").
{%- set as_of = as_of_date_sql() %}
{%- set sources = ['web_form', 'newsletter', 'store', 'social', 'api', 'import', 'sales_rep'] %}

with

contacts as (
    select * from {{ ref('int_contacts_resolved') }}
),

aged as (
    select
        *,
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

final as (
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
        coalesce(extract(month from birth_date) = extract(month from {{ as_of }}), false) as is_birthday_month,
        {{ days_since('created_at') }} as days_since_created,
        case
            when
                source_code in (
                    '{{ sources | join("', '") }}'
                )
                then source_code
            else 'other'
        end as acquisition_source
    from aged
)

select * from final
