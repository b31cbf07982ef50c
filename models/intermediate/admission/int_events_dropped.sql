-- Every staged event that is not kept, with its fate (docs/landing.md): erased,
-- rejected with the first reason that applies, or a collapsed copy of an event
-- id. The kept events are the staged events that are not here. The rows of
-- int_events_judged that are not kept: a run replaces there the rows it judges
-- again and leaves the others alone.
{{ config(materialized='view') }}

with

judged as (
    select * from {{ ref('int_events_judged') }}
    where not is_kept
),

final as (
    select
        event_row_id,
        load_batch_number,
        batch_row_number,
        event_id,
        contact_id,
        occurred_at,
        is_erased,
        rejection_reason,
        is_collapsed,
        collapse_reason,
        unparsed_values
    from judged
)

select * from final
