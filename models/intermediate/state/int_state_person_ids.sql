-- The contact ids of every person as the per-contact state holds them: the id
-- map of the last run that built the state. The next run compares its own map
-- with this one to find the persons whose ids changed (int_state_persons).
-- depends_on: {{ ref('int_email_messages') }}
-- depends_on: {{ ref('int_email_bounces') }}
-- depends_on: {{ ref('int_contact_activity') }}
-- depends_on: {{ ref('int_contact_days') }}
-- depends_on: {{ ref('int_contact_open_quarters') }}
-- depends_on: {{ ref('int_contact_site_touches') }}
-- depends_on: {{ ref('int_contact_trait_days') }}
-- depends_on: {{ ref('int_contact_loyalty_days') }}
-- depends_on: {{ ref('int_order_lines') }}
with

final as (
    select
        contact_id,
        canonical_contact_id
    from {{ ref('int_contact_ids_mapped') }}
)

select * from final
