-- docs/segments.md "Audience controls": the two reasons a sendable person is
-- still left out of every email audience today. The global control group is a
-- stable share of persons (global_control_pct), by a hash of the person alone,
-- so it is the same group for every segment and every day. The frequency cap
-- (frequency_cap: {emails, days}) counts the distinct messages delivered in the
-- trailing window, as the engagement windows count them (docs/engagement.md).
{%- set settings = audience_control_settings() %}
{%- set control_pct = settings.global_control_pct %}
{%- set cap = settings.frequency_cap %}

with

contacts as (
    select contact_id from {{ ref('int_contacts_resolved') }}
),

deliveries as (
    select
        contact_id,
        {{ message_delivered_at_sql() }} as last_delivered_at
    from {{ ref('int_email_messages') }}
    {#- Without a cap nothing is counted (the reference stays, so the model's inputs do not depend on vars). #}
    {%- if not cap %}
        where false
    {%- endif %}
),

capped_window as (
    select
        contact_id,
        {{ count_where('last_delivered_at >= ' ~ window_start_sql(cap.days if cap else 1)) }} as emails_delivered
    from deliveries
    group by contact_id
),

final as (
    select
        contacts.contact_id,
        {% if control_pct > 0 -%}
            {{ stable_bucket("'global-control:' || contacts.contact_id") }} < {{ (control_pct * 100) | round | int }}
        {%- else -%}
            false
        {%- endif %} as is_global_control,
        coalesce(capped_window.emails_delivered, 0) as emails_delivered_in_cap_window,
        {% if cap -%}
            coalesce(capped_window.emails_delivered, 0) >= {{ cap.emails }}
        {%- else -%}
            false
        {%- endif %} as is_frequency_capped
    from contacts
    left join capped_window on contacts.contact_id = capped_window.contact_id
)

select * from final
