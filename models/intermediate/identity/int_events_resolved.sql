-- A view: its readers each take a slice (some event types, some days, some
-- persons), which DuckDB reads from the staged events directly.
{{ config(materialized='view') }}

-- The kept events up to the end of as_of (docs/landing.md): staged events that
-- are not dropped, with their canonical type, revenue in the reporting currency
-- (at full precision: orders round once), re-keyed to their person. Events of
-- contacts that do not exist yet as of as_of are left out.
with

final as (
    {{ kept_events_sql() }}
)

select * from final
