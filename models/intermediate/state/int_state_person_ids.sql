-- The contact ids of every person, as this run maps them and as the state held
-- them before it (docs/incremental.md): int_state_persons recomputes the persons
-- whose ids changed between the two (merged, split, erased, come into existence).
-- A delta run reads the map the last committed run left here ({{ this }}); a
-- full run rebuilds everyone, so it has no map before. Rows of ids gone from both
-- maps are dropped. Incremental so that it can read its own rows while
-- writing their replacement on every engine (state_replace).
{{ config(materialized='incremental', incremental_strategy='state_replace', on_schema_change='sync_all_columns') }}
{%- set run = incremental_run() %}
{%- set reads_previous = run.mode == 'delta' and load_relation(this) is not none %}

with

current_ids as (
    select
        contact_id,
        canonical_contact_id
    from {{ ref('int_contact_ids_mapped') }}
),

previous_ids as (
    {%- if reads_previous %}
        select
            contact_id,
            canonical_contact_id
        from {{ this }}
        where canonical_contact_id is not null
    {%- else %}
        select
            contact_id,
            canonical_contact_id
        from current_ids
        where false
    {%- endif %}
),

final as (
    select
        coalesce(current_ids.contact_id, previous_ids.contact_id) as contact_id,
        current_ids.canonical_contact_id,
        previous_ids.canonical_contact_id as previous_canonical_contact_id
    from current_ids
    full outer join previous_ids on current_ids.contact_id = previous_ids.contact_id
)

select * from final
