-- Every raw FX rate row, cleaned and cast (docs/money.md). fx_rates is a
-- reference table: it is read whole on every run and may be edited, so it is
-- not staged in batches; a changed rate is picked up by the next run.
{%- set columns = landing_columns('fx_rates', warn=true) %}

with

landed as (
    select * from {{ landing_relation('fx_rates') }}
),

typed as (
    select
        {{ landed_columns_sql('fx_rates', columns) }}
    from landed
),

checked as (
    select
        {{ landed_column_names('fx_rates') }},
        {{ unparsed_columns_sql('fx_rates', columns) }} as unparsed_columns,
        {{ unparsed_values_sql('fx_rates', columns) }} as unparsed_values
    from typed
),

final as (
    select
        row_number() over (order by currency, rate_to_reporting, unparsed_values) as fx_rate_row_id,
        *
    from checked
)

select * from final
