-- Every exclusion row with its fate (docs/consent.md "Exclusions"): erased (it
-- names an erased person's email or contact id), rejected (unreadable, no
-- pattern, a pattern that is no email, @domain or id, no or an unreadable
-- excluded_at, an unreadable until), collapsed (the same exclusion again), or
-- kept. A pattern with an @ is an email, or an @domain when it starts with @;
-- both are matched lower-cased. Anything else is a contact id, as given.
with

exclusions as (
    select * from {{ ref('stg_marketing__exclusions') }}
),

erased_emails as (
    select email from {{ ref('int_erased_emails') }}
),

erased_contacts as (
    select contact_id from {{ ref('int_erased_contacts') }}
),

classified as (
    select
        *,
        case
            when pattern is null then null
            when pattern like '@%' then 'domain'
            when pattern like '%@%' then 'email'
            else 'contact_id'
        end as pattern_kind,
        case when pattern like '%@%' then {{ normalize_email('pattern') }} else pattern end as match_value,
        ',' || coalesce(unparsed_columns, '') || ',' as unparsed_list
    from exclusions
),

judged as (
    select
        classified.*,
        erased_emails.email is not null or erased_contacts.contact_id is not null as is_erased,
        case
            when {{ is_unreadable_row('classified') }} then 'unreadable_row'
            when classified.pattern is null then 'missing_exclusion_pattern'
            when classified.pattern_kind = 'email' and not {{ is_valid_email('classified.match_value') }}
                then 'invalid_exclusion_pattern'
            when classified.pattern_kind = 'domain'
                and not {{ is_valid_email("'x' || classified.match_value") }}
                then 'invalid_exclusion_pattern'
            when classified.unparsed_list like '%,excluded_at,%' then 'invalid_excluded_at'
            when classified.excluded_at is null then 'missing_excluded_at'
            when classified.unparsed_list like '%,until,%' then 'invalid_until'
        end as rejection_reason
    from classified
    left join erased_emails
        on classified.pattern_kind = 'email' and classified.match_value = erased_emails.email
    left join erased_contacts
        on classified.pattern_kind = 'contact_id' and classified.match_value = erased_contacts.contact_id
),

ranked as (
    select
        *,
        case
            when rejection_reason is null
                then row_number() over (
                        partition by pattern_kind, match_value, excluded_at, until
                        order by exclusion_row_id
                    )
        end as exclusion_rank
    from judged
),

final as (
    select
        exclusion_row_id,
        pattern,
        pattern_kind,
        match_value,
        reason,
        excluded_at,
        until,
        rejection_reason,
        coalesce(exclusion_rank > 1, false) as is_collapsed,
        case when exclusion_rank > 1 then 'duplicate_exclusion' end as collapse_reason
    from ranked
    where not is_erased
)

select * from final
