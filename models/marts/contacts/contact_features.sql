-- One row per person as of as_of with every feature (docs/features.md): profile,
-- tags and custom attributes, email engagement, sendability and the audience
-- controls, RFM, lifecycle, site activity, traffic channels, interests, loyalty
-- points, lead score, predicted value and churn and purchase propensity. Read by
-- BI and by contact_segments. The predictions are null where their models do not
-- run (docs/predictions.md: DuckDB only, clv_enabled, propensity_enabled).
-- At millions of persons one join of every feature area needs more memory than
-- DuckDB's limit allows (docs/decisions.md "Cost curve"): every import keeps the
-- persons of one pass (person_pass_where), and the model is built in passes.
{%- set pass_where = person_pass_where() %}
{%- set windows = var('engagement_windows') %}
{%- set channel_days = var('traffic_channel_days') %}
{%- set interest_days = var('interest_days') %}
{%- set predicted = clv_models_enabled() %}
{%- set propensity = propensity_model_enabled() %}
{%- set prediction_columns = ['p_alive'] %}
{%- for days in var('clv_horizon_days') %}
    {%- do prediction_columns.append('expected_orders_' ~ days ~ 'd') %}
{%- endfor %}
{%- do prediction_columns.extend(['expected_order_value', 'predicted_clv_' ~ var('clv_months') ~ 'm',
    'predicted_clv_percentile']) %}

with

contacts as (
    select * from {{ ref('int_contacts_resolved') }}
    where {{ pass_where }}
),

profiles as (
    select * from {{ ref('int_contacts_profiled') }}
    where {{ pass_where }}
),

local_time as (
    select * from {{ ref('int_contacts_local_time_evaluated') }}
    where {{ pass_where }}
),

engagement as (
    select * from {{ ref('int_contacts_email_engagement_evaluated') }}
    where {{ pass_where }}
),

sendability as (
    select * from {{ ref('int_contacts_sendability_evaluated') }}
    where {{ pass_where }}
),

audience_controls as (
    select * from {{ ref('int_contacts_audience_controls') }}
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

site as (
    select * from {{ ref('int_contacts_site_activity_evaluated') }}
    where {{ pass_where }}
),

site_traits as (
    select * from {{ ref('int_contacts_site_traits_evaluated') }}
    where {{ pass_where }}
),

loyalty as (
    select * from {{ ref('int_contacts_loyalty_evaluated') }}
    where {{ pass_where }}
),

orders_summary as (
    select * from {{ ref('int_contacts_orders_summarised') }}
    where {{ pass_where }}
),
{%- if predicted %}

    predictions as (
        select * from {{ ref('int_contacts_clv_predicted') }}
        where {{ pass_where }}
    ),
{%- endif %}
{%- if propensity %}

    propensity as (
        select * from {{ ref('int_contacts_propensity_scored') }}
        where {{ pass_where }}
    ),
{%- endif %}

-- Materialized before the site traits join: one query joining every area at once
-- needed over 2 GB at 1M contacts (docs/decisions.md); in two steps the hash tables
-- of the first are gone before the second.
joined as {{ materialized_cte() }} (
    select
        contacts.contact_id,
        contacts.email,
        contacts.is_email_valid,
        contacts.first_name,
        contacts.last_name,
        contacts.phone,
        contacts.gender,
        contacts.birth_date,
        profiles.age,
        profiles.age_band,
        profiles.birth_month,
        profiles.birth_day,
        local_time.is_birthday_month,
        local_time.is_birthday_today_local,
        local_time.days_until_birthday_local,
        contacts.country,
        contacts.region,
        contacts.city,
        contacts.postal_code,
        contacts.timezone,
        local_time.local_time_zone,
        local_time.local_date_as_of,
        local_time.preferred_open_hour_local,
        local_time.preferred_open_weekday_local,
        contacts.language,
        profiles.acquisition_source,
        contacts.created_at,
        profiles.days_since_created,
        contacts.merged_contact_ids,
        profiles.tags,
        profiles.tag_count,
        {%- for attribute in custom_attributes() %}
            profiles.attr_{{ attribute['name'] }},
        {%- endfor %}
        {%- for days in windows %}
            engagement.emails_delivered_{{ days }}d,
            engagement.emails_opened_{{ days }}d,
            engagement.emails_clicked_{{ days }}d,
            engagement.open_rate_{{ days }}d,
            engagement.click_rate_{{ days }}d,
        {%- endfor %}
        engagement.last_email_opened_at,
        engagement.last_email_clicked_at,
        engagement.days_since_last_engagement,
        engagement.email_engagement_status,
        sendability.has_email_consent,
        sendability.has_hard_bounce,
        sendability.has_soft_bounce_run,
        sendability.has_spam_complaint,
        sendability.is_suppressed,
        sendability.is_excluded,
        sendability.exclusion_reasons,
        sendability.is_email_sendable,
        audience_controls.is_global_control,
        audience_controls.is_frequency_capped,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary,
        rfm.avg_order_value,
        rfm.first_order_at,
        rfm.last_order_at,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.monetary_percentile,
        rfm.rfm_score,
        rfm.rfm_segment,
        orders_summary.clv_frequency,
        orders_summary.clv_recency_days,
        orders_summary.clv_age_days,
        orders_summary.clv_avg_repeat_value,
        {%- for name in prediction_columns %}
            {%- if predicted %}
                predictions.{{ name }},
            {%- else %}
                cast(null as {{ type_double() }}) as {{ name }},
            {%- endif %}
        {%- endfor %}
        {%- if propensity %}
            propensity.purchase_propensity as purchase_propensity_{{ var('propensity_horizon_days') }}d,
            propensity.purchase_propensity_decile,
        {%- else %}
            cast(null as {{ type_double() }}) as purchase_propensity_{{ var('propensity_horizon_days') }}d,
            cast(null as {{ dbt.type_bigint() }}) as purchase_propensity_decile,
        {%- endif %}
        lifecycle.lifetime_orders,
        lifecycle.customer_status,
        lifecycle.funnel_stage,
        site.has_abandoned_cart,
        site.has_abandoned_browse,
        site.preferred_device,
        site.favorite_category,
        site.has_machine_opens,
        site.lead_score,
        loyalty.loyalty_points_balance,
        {%- for days in windows %}
            coalesce(loyalty.loyalty_points_earned_{{ days }}d, 0) as loyalty_points_earned_{{ days }}d,
            coalesce(loyalty.loyalty_points_redeemed_{{ days }}d, 0) as loyalty_points_redeemed_{{ days }}d,
        {%- endfor %}
        loyalty.last_loyalty_activity_at
    from contacts
    inner join profiles on contacts.contact_id = profiles.contact_id
    inner join local_time on contacts.contact_id = local_time.contact_id
    inner join engagement on contacts.contact_id = engagement.contact_id
    inner join sendability on contacts.contact_id = sendability.contact_id
    inner join audience_controls on contacts.contact_id = audience_controls.contact_id
    inner join rfm on contacts.contact_id = rfm.contact_id
    inner join lifecycle on contacts.contact_id = lifecycle.contact_id
    inner join site on contacts.contact_id = site.contact_id
    left join orders_summary on contacts.contact_id = orders_summary.contact_id
    left join loyalty on contacts.contact_id = loyalty.contact_id
    {%- if predicted %}
        left join predictions on contacts.contact_id = predictions.contact_id
    {%- endif %}
    {%- if propensity %}
        left join propensity on contacts.contact_id = propensity.contact_id
    {%- endif %}
),

final as (
    select
        joined.*,
        site_traits.first_touch_channel,
        site_traits.last_touch_channel,
        site_traits.top_channel_{{ channel_days }}d,
        site_traits.visited_channels_{{ interest_days }}d,
        site_traits.top_viewed_category_{{ interest_days }}d,
        site_traits.viewed_categories_{{ interest_days }}d,
        site_traits.top_visited_path_{{ interest_days }}d,
        site_traits.recent_search_terms_{{ interest_days }}d,
        {{ as_of_date_sql() }} as as_of_date
    from joined
    left join site_traits on joined.contact_id = site_traits.contact_id
)

select * from final
