-- docs/time.md "Contact-local time": per person, the zone their clock follows
-- (their timezone when the time_zones seed knows it, else their country's zone
-- from country_time_zones, else UTC), their calendar date at the last instant
-- of the as_of day (UTC), their birthday by that date (29 February is kept on
-- 28 February in common years), and the local hour and ISO weekday most of
-- their human opens of the last preferred_open_days fell on (fewer than
-- preferred_open_min_opens opens: null; ties: the earliest hour, Monday first).
{%- set last_instant = "cast('" ~ as_of_date().isoformat() ~ " 23:59:59.999999' as " ~ dbt.type_timestamp() ~ ")" %}

with

contacts as (
    select
        contact_id,
        timezone,
        country,
        birth_date
    from {{ ref('int_contacts_resolved') }}
),

zoned as (
    select
        contacts.contact_id,
        contacts.birth_date,
        coalesce(known.time_zone, fallback.time_zone, 'UTC') as local_time_zone
    from contacts
    left join {{ ref('time_zones') }} as known on contacts.timezone = known.time_zone
    left join {{ ref('country_time_zones') }} as fallback on contacts.country = fallback.country
),

dated as (
    select
        *,
        cast({{ to_local_timestamp(last_instant, 'local_time_zone') }} as date) as local_date_as_of,
        cast(extract(month from birth_date) as {{ dbt.type_int() }}) as birth_month,
        cast(extract(day from birth_date) as {{ dbt.type_int() }}) as birth_day
    from zoned
),

years as (
    select
        *,
        cast(extract(year from local_date_as_of) as {{ dbt.type_int() }}) as this_year
    from dated
),

birthdays as (
    select
        *,
        {{ birthday_in_year('this_year', 'birth_month', 'birth_day') }} as birthday_this_year,
        {{ birthday_in_year('this_year + 1', 'birth_month', 'birth_day') }} as birthday_next_year
    from years
),

local_opens as (
    select
        quarters.contact_id,
        {{ to_local_timestamp('quarters.opened_quarter_at', 'zoned.local_time_zone') }} as opened_local_at,
        quarters.opens
    from {{ ref('int_contact_open_quarters') }} as quarters
    inner join zoned on quarters.contact_id = zoned.contact_id
    where quarters.opened_quarter_at >= {{ window_start_sql(var('preferred_open_days')) }}
),

opens as (
    select
        contact_id,
        cast(extract(hour from opened_local_at) as {{ dbt.type_int() }}) as open_hour,
        {{ iso_weekday('opened_local_at') }} as open_weekday,
        opens
    from local_opens
),

{%- for part in ['hour', 'weekday'] %}

    by_{{ part }} as (
        select
            contact_id,
            open_{{ part }},
            row_number() over (
                partition by contact_id order by sum(opens) desc, open_{{ part }} asc
            ) as {{ part }}_rank,
            sum(sum(opens)) over (partition by contact_id) as window_opens
        from opens
        group by contact_id, open_{{ part }}
    ),

    preferred_{{ part }} as (
        select
            contact_id,
            open_{{ part }} as preferred_open_{{ part }}_local
        from by_{{ part }}
        where {{ part }}_rank = 1 and window_opens >= {{ var('preferred_open_min_opens') }}
    ),
{%- endfor %}

final as (
    select
        birthdays.contact_id,
        birthdays.local_time_zone,
        birthdays.local_date_as_of,
        coalesce(birthdays.birth_month = extract(month from birthdays.local_date_as_of), false) as is_birthday_month,
        coalesce(birthdays.birthday_this_year = birthdays.local_date_as_of, false) as is_birthday_today_local,
        cast(
            {{ dbt.datediff(
                'birthdays.local_date_as_of',
                'case when birthdays.birthday_this_year >= birthdays.local_date_as_of '
                ~ 'then birthdays.birthday_this_year else birthdays.birthday_next_year end',
                'day',
            ) }}
            as {{ dbt.type_int() }}
        ) as days_until_birthday_local,
        preferred_hour.preferred_open_hour_local,
        preferred_weekday.preferred_open_weekday_local
    from birthdays
    left join preferred_hour on birthdays.contact_id = preferred_hour.contact_id
    left join preferred_weekday on birthdays.contact_id = preferred_weekday.contact_id
)

select * from final
