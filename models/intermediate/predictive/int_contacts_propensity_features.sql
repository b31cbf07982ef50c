-- docs/predictions.md "Purchase propensity": the features the propensity model
-- reads, one row per person as of as_of, taken from the same models as
-- contact_features (so a snapshot day's row is that day's mart). This model is
-- the one list of features: every column but contact_id is one, a text column a
-- category. Left out: ids, contact details, and anything that is the label in
-- disguise (nothing here reads an event after as_of).
-- At millions of persons it is built in passes over the persons (person_pass_where).
{%- set device_days = var('preferred_device_days') %}
{%- set pass_where = person_pass_where() %}

with

contacts as (
    select * from {{ ref('int_contacts_resolved') }}
    where {{ pass_where }}
),

profiles as (
    select * from {{ ref('int_contacts_profiled') }}
    where {{ pass_where }}
),

engagement as (
    select * from {{ ref('int_contacts_email_engagement_evaluated') }}
    where {{ pass_where }}
),

rfm as (
    select * from {{ ref('int_contacts_rfm_scored') }}
    where {{ pass_where }}
),

lifecycle as (
    select * from {{ ref('int_contacts_lifecycle_classified') }}
    where {{ pass_where }}
),

orders_summary as (
    select * from {{ ref('int_contacts_orders_summarised') }}
    where {{ pass_where }}
),

clv as (
    select * from {{ ref('int_contacts_clv_predicted') }}
    where {{ pass_where }}
),

site as (
    select * from {{ ref('int_contacts_site_activity_evaluated') }}
    where {{ pass_where }}
),

site_traits as (
    select * from {{ ref('int_contacts_site_traits_evaluated') }}
    where {{ pass_where }}
),

activity as (
    select * from {{ ref('int_contact_activity') }}
    where {{ pass_where }}
),

loyalty as (
    select * from {{ ref('int_contacts_loyalty_evaluated') }}
    where {{ pass_where }}
),

-- Days with site or email activity on a device (the state keeps preferred_device_days).
active_days as (
    select
        contact_id,
        {{ count_where('activity_date >= cast(' ~ window_start_sql(30) ~ ' as date)') }} as active_days_30d,
        count(*) as active_days_{{ device_days }}d,
        sum(desktop_events + mobile_events + tablet_events + other_events) as device_events_{{ device_days }}d
    from {{ ref('int_contact_days') }}
    where activity_date <= {{ as_of_date_sql() }} and {{ pass_where }}
    group by contact_id
),

final as (
    select
        contacts.contact_id,
        profiles.days_since_created,
        profiles.age,
        {%- for days in var('engagement_windows') %}
            engagement.emails_delivered_{{ days }}d,
            engagement.emails_opened_{{ days }}d,
            engagement.emails_clicked_{{ days }}d,
        {%- endfor %}
        engagement.days_since_last_engagement,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary,
        rfm.avg_order_value,
        orders_summary.clv_frequency,
        orders_summary.clv_recency_days,
        orders_summary.clv_age_days,
        clv.p_alive,
        clv.expected_orders_30d,
        clv.expected_orders_90d,
        lifecycle.customer_status,
        lifecycle.funnel_stage,
        cast(site.has_abandoned_cart as integer) as has_abandoned_cart,
        cast(site.has_abandoned_browse as integer) as has_abandoned_browse,
        site.lead_score,
        site.preferred_device,
        {{ days_since('activity.last_product_view_at') }}
            as days_since_product_view,
        {{ days_since('activity.last_add_to_cart_at') }}
            as days_since_add_to_cart,
        coalesce(active_days.active_days_30d, 0) as active_days_30d,
        coalesce(active_days.active_days_{{ device_days }}d, 0) as active_days_{{ device_days }}d,
        coalesce(active_days.device_events_{{ device_days }}d, 0) as device_events_{{ device_days }}d,
        site_traits.last_touch_channel,
        site_traits.top_channel_{{ var('traffic_channel_days') }}d,
        {%- for days in var('engagement_windows') %}
            coalesce(loyalty.loyalty_points_earned_{{ days }}d, 0) as loyalty_points_earned_{{ days }}d,
        {%- endfor %}
        coalesce(loyalty.loyalty_points_balance, 0) as loyalty_points_balance
    from contacts
    inner join profiles on contacts.contact_id = profiles.contact_id
    inner join engagement on contacts.contact_id = engagement.contact_id
    inner join rfm on contacts.contact_id = rfm.contact_id
    inner join lifecycle on contacts.contact_id = lifecycle.contact_id
    inner join site on contacts.contact_id = site.contact_id
    left join orders_summary on contacts.contact_id = orders_summary.contact_id
    left join clv on contacts.contact_id = clv.contact_id
    left join site_traits on contacts.contact_id = site_traits.contact_id
    left join activity on contacts.contact_id = activity.contact_id
    left join loyalty on contacts.contact_id = loyalty.contact_id
    left join active_days on contacts.contact_id = active_days.contact_id
)

select * from final
