-- Per person: distinct messages delivered, opened and clicked in each window of
-- the engagement_windows var, open and click rates, last engagement and the
-- email_engagement_status (docs/engagement.md, first match wins), from the
-- per-message state.
{%- set windows = var('engagement_windows') %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

delivered_messages as (
    select
        contact_id,
        {{ message_delivered_at_sql() }} as last_delivered_at,
        last_opened_at,
        last_clicked_at
    from {{ ref('int_email_messages') }}
),

windowed as (
    select
        contact_id,
        {% for days in windows %}
            {%- set start = window_start_sql(days) %}
            {{ count_where('last_delivered_at >= ' ~ start) }} as emails_delivered_{{ days }}d,
            {{ count_where('last_opened_at >= ' ~ start) }} as emails_opened_{{ days }}d,
            {{ count_where('last_clicked_at >= ' ~ start) }} as emails_clicked_{{ days }}d,
        {% endfor %}
        {{ count_where('last_delivered_at is not null') }} as emails_delivered_ever,
        max(last_opened_at) as last_email_opened_at,
        max(last_clicked_at) as last_email_clicked_at
    from delivered_messages
    group by contact_id
),

joined as (
    select
        contacts.contact_id,
        {% for days in windows %}
            coalesce(windowed.emails_delivered_{{ days }}d, 0) as emails_delivered_{{ days }}d,
            coalesce(windowed.emails_opened_{{ days }}d, 0) as emails_opened_{{ days }}d,
            coalesce(windowed.emails_clicked_{{ days }}d, 0) as emails_clicked_{{ days }}d,
        {% endfor %}
        coalesce(windowed.emails_delivered_ever, 0) as emails_delivered_ever,
        windowed.last_email_opened_at,
        windowed.last_email_clicked_at,
        {{ greatest_not_null('windowed.last_email_opened_at', 'windowed.last_email_clicked_at') }}
            as last_email_engaged_at
    from contacts
    left join windowed on contacts.contact_id = windowed.contact_id
),

final as (
    select
        contact_id,
        {% for days in windows %}
            emails_delivered_{{ days }}d,
            emails_opened_{{ days }}d,
            emails_clicked_{{ days }}d,
            -- Not capped: an open can fall in a later window than its delivery.
            case when emails_delivered_{{ days }}d > 0
                    then cast(emails_opened_{{ days }}d as {{ type_double() }}) / emails_delivered_{{ days }}d
            end as open_rate_{{ days }}d,
            case when emails_delivered_{{ days }}d > 0
                    then cast(emails_clicked_{{ days }}d as {{ type_double() }}) / emails_delivered_{{ days }}d
            end as click_rate_{{ days }}d,
        {% endfor %}
        emails_delivered_ever,
        last_email_opened_at,
        last_email_clicked_at,
        {{ days_since('last_email_engaged_at') }}
            as days_since_last_engagement,
        case
            when last_email_engaged_at >= {{ window_start_sql(var('engaged_days')) }} then 'engaged'
            when last_email_engaged_at >= {{ window_start_sql(var('lapsing_days')) }} then 'lapsing'
            when last_email_engaged_at is not null then 'dormant'
            when emails_delivered_ever > 0 then 'never_engaged'
            else 'no_email_history'
        end as email_engagement_status
    from joined
)

select * from final
