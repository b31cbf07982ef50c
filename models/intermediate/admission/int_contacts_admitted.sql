-- Every staged contact record with its fate (docs/identity.md): rejected (no
-- contact id), superseded by a later record of the same id, or the id's winning
-- record as of as_of. Records of erased persons are left out (only counted).
-- Only records updated by the end of as_of compete (if none is, the earliest
-- stands in); the latest updated_at wins, ties going to the latest created_at,
-- then the greatest email (nulls lose).
with

records as (
    select * from {{ ref('stg_marketing__contacts') }}
),

erased as (
    select contact_id from {{ ref('int_erased_contacts') }}
),

judged as (
    select
        records.*,
        {{ is_valid_email('records.email') }} as is_email_valid,
        coalesce(records.updated_at < {{ as_of_end_sql() }}, true) as is_updated_by_as_of,
        erased.contact_id is not null as is_erased,
        case
            when {{ is_unreadable_row('records') }} then 'unreadable_row'
            when records.contact_id is null then 'missing_contact_id'
        end as rejection_reason
    from records
    left join erased on records.contact_id = erased.contact_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by contact_id
            order by
                case when is_updated_by_as_of then 0 else 1 end,
                case when is_updated_by_as_of then updated_at end desc nulls last,
                case when is_updated_by_as_of then created_at end desc nulls last,
                case when is_updated_by_as_of then email end desc nulls last,
                -- no record competes: the earliest stands in
                updated_at asc nulls last,
                created_at asc nulls last,
                email desc nulls last,
                -- records alike so far: by their other values, so that the order
                -- they arrived in never decides (docs/landing.md)
                {{ ['consent_status', 'source', 'first_name', 'last_name', 'phone', 'birth_date', 'gender', 'country',
                    'region', 'city', 'postal_code', 'timezone', 'language'] | join(' asc nulls last, ') }} asc nulls last,
                contact_row_id asc
        ) as record_rank
    from judged
),

final as (
    select
        contact_row_id,
        load_batch_number,
        batch_row_number,
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
        rejection_reason,
        rejection_reason is null and record_rank > 1 as is_collapsed,
        case when rejection_reason is null and record_rank > 1 then 'superseded_contact_record' end as collapse_reason
    from ranked
    where not is_erased
)

select * from final
