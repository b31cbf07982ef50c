-- Per-contact state (docs/incremental.md): per person, what their events ever
-- showed up to as_of: hard bounces, spam complaints, machine opens, the last time
-- of each kind of event the features read, and the lead score (docs/scores.md)
-- as lead_score_basis, the decayed sum of points as of lead_score_as_of, which
-- a later day decays further by whole days. Flags and last times only grow; a
-- run merges the events a person gained, decaying the basis to the new as_of.
-- depends_on: {{ ref('int_state_delta') }}
-- depends_on: {{ ref('int_incremental_runs') }}
{{ config(
    unique_key=['contact_id'],
) }}
{%- set lasts = {
    'last_subscribe_event_at': "event_type = 'subscribe'",
    'last_unsubscribe_event_at': "event_type = 'email_unsubscribed'",
    'last_add_to_cart_at': "event_type = 'add_to_cart'",
    'last_product_view_at': "event_type = 'product_view'",
    'last_purchase_event_at': "event_type = 'purchase'",
    'last_cart_or_purchase_at': "event_type in ('add_to_cart', 'purchase')",
    'last_advocacy_at': "event_type in ('referral_sent', 'review_submitted')",
    'last_consideration_at': "event_type in ('product_view', 'add_to_cart', 'checkout_started')",
} %}
{%- set flags = {
    'has_hard_bounce': "event_type = 'email_bounced' and bounce_type = 'hard'",
    'has_spam_complaint': "event_type = 'email_spam_complaint'",
    'has_machine_opens': "event_type = 'email_opened' and is_machine_open",
} %}

{%- set gained_columns, folds = [], {} %}
{%- for name, condition in flags.items() %}
    {%- do gained_columns.append(any_where(condition) ~ ' as ' ~ name) %}
    {%- do folds.update({name: 'any'}) %}
{%- endfor %}
{%- for name, condition in lasts.items() %}
    {%- do gained_columns.append(max_where('occurred_at', condition) ~ ' as ' ~ name) %}
    {%- do folds.update({name: 'max'}) %}
{%- endfor %}
{%- do folds.update({'lead_score_basis': 'sum', 'lead_score_as_of': 'max'}) %}

{%- set gained %}
    select
        contact_id,
        {{ gained_columns | join(',\n        ') }},
        -- summed as decimals: a sum of doubles depends on the order the rows come in
        sum(
            cast(
                case
                    when event_type = 'email_opened' and is_machine_open then 0
                    else {{ lead_score_points('event_type') }} * {{ decay_factor('cast(occurred_at as date)') }}
                end as decimal(38, 18)
            )
        ) as lead_score_basis,
        {{ as_of_date_sql() }} as lead_score_as_of
    from events
    group by contact_id
{%- endset %}

{{ state_table(
    events_where='true',
    gained=gained,
    folds=folds,
    held_as={
        'lead_score_basis': 'cast(state.lead_score_basis * ' ~ decay_factor('state.lead_score_as_of')
            ~ ' as decimal(38, 18))',
        'lead_score_as_of': as_of_date_sql(),
    },
) }}
