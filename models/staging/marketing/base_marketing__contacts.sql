-- A table: its de-duplication would otherwise run again in every model that
-- reads it (staging, identity, the erasure lists, data quality).
{{ config(materialized='table') }}

-- Every raw contact record, cleaned and cast, with its fate: erased, rejected,
-- superseded by a later record of the same id, or the id's winning record.
with

source as (
    select * from {{ raw_source('contacts') }}
),

erased as (
    select contact_id from {{ ref('stg_marketing__erased_contacts') }}
),

cleaned as (
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ normalize_email('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('phone') }} as phone,
        {{ safe_cast(clean_text('birth_date'), 'date') }} as birth_date,
        {{ clean_code('gender') }} as gender,
        upper({{ clean_text('country') }}) as country,
        {{ clean_text('region') }} as region,
        {{ clean_text('city') }} as city,
        {{ clean_text('postal_code') }} as postal_code,
        {{ clean_text('timezone') }} as timezone,
        {{ clean_code('language') }} as language,
        {{ clean_code('source') }} as source,
        {{ clean_code('consent_status') }} as consent_status,
        {{ to_utc_timestamp(clean_text('created_at')) }} as created_at,
        {{ to_utc_timestamp(clean_text('updated_at')) }} as updated_at,
        {{ row_fingerprint(['contact_id', 'email', 'first_name', 'last_name', 'phone',
            'birth_date', 'gender', 'country', 'region', 'city', 'postal_code', 'timezone',
            'language', 'source', 'consent_status', 'created_at', 'updated_at']) }} as row_fingerprint
    from source
),

keyed as (
    select
        *,
        {{ is_valid_email('email') }} as is_email_valid,
        {{ record_key('row_fingerprint') }} as contact_record_key,
        -- SPEC: only records updated by the end of as_of compete for the id.
        coalesce(updated_at < {{ as_of_end_sql() }}, true) as is_updated_by_as_of
    from cleaned
),

ranked as (
    select
        keyed.*,
        erased.contact_id is not null as is_erased,
        case when keyed.contact_id is null then 'missing_contact_id' end as rejection_reason,
        row_number() over (
            partition by keyed.contact_id
            order by
                case when keyed.is_updated_by_as_of then 0 else 1 end,
                case when keyed.is_updated_by_as_of then keyed.updated_at end desc nulls last,
                case when keyed.is_updated_by_as_of then keyed.created_at end desc nulls last,
                case when keyed.is_updated_by_as_of then keyed.email end desc nulls last,
                -- no record competes: the earliest stands in
                keyed.updated_at asc nulls last,
                keyed.created_at asc nulls last,
                keyed.email desc nulls last,
                keyed.contact_record_key asc
        ) as record_rank
    from keyed
    left join erased on keyed.contact_id = erased.contact_id
),

final as (
    select
        contact_record_key,
        contact_id,
        email,
        is_email_valid,
        first_name,
        last_name,
        phone,
        birth_date,
        gender,
        country,
        region,
        city,
        postal_code,
        timezone,
        language,
        source,
        consent_status,
        created_at,
        updated_at,
        is_updated_by_as_of,
        is_erased,
        rejection_reason,
        rejection_reason is null and record_rank > 1 as is_collapsed,
        case
            when rejection_reason is null and record_rank > 1 then 'superseded_contact_record'
        end as collapse_reason
    from ranked
)

select * from final
