-- docs/predictions.md: the fitted BG/NBD and Gamma-Gamma parameters, one row per
-- as_of, model and parameter, kept across runs so that analysts can compare
-- fits over time. A run replaces the rows of its own as_of (deterministic for a
-- given as_of). Aggregates only: no person is in it, so erasure leaves it alone.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
) }}

with

fitted as (
    select * from {{ ref('int_clv_models_fitted') }}
),

final as (
    select
        cast({{ as_of_date_sql() }} as {{ dbt.type_string() }})
        || '|' || model || '|' || parameter as clv_model_parameter_id,
        {{ as_of_date_sql() }} as as_of_date,
        model,
        parameter,
        value,
        buyers_fitted
    from fitted
)

select * from final
