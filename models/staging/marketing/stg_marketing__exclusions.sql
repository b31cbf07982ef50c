-- Every raw exclusion row, cleaned and cast (docs/consent.md "Exclusions").
-- exclusions is a reference table: it is read whole on every run and may be
-- edited (an exclusion lifted, an end day set), so it is not staged in batches.
{%- set columns = landing_columns('exclusions', warn=true) %}

with

landed as (
    select * from {{ landing_relation('exclusions') }}
),

typed as (
    select
        {{ landed_columns_sql('exclusions', columns) }}
    from landed
),

checked as (
    select
        {{ landed_column_names('exclusions') }},
        {{ unparsed_columns_sql('exclusions', columns) }} as unparsed_columns,
        {{ unparsed_values_sql('exclusions', columns) }} as unparsed_values
    from typed
),

final as (
    select
        row_number() over (
            order by pattern, excluded_at, until, reason, unparsed_values
        ) as exclusion_row_id,
        *
    from checked
)

select * from final
