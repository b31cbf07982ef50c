-- docs/predictions.md "Purchase propensity": one row per training run of the
-- propensity model, with its out-of-time test measures beside BG/NBD's on the
-- same test snapshot (the JSON metrics, unpacked). Kept across runs; a rerun
-- of a training day replaces its row. Aggregates only: no person is in it.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='model_version',
) }}

with

trained as (
    select * from {{ ref('int_propensity_models_trained') }}
    {%- if is_incremental() %}
        where trained_as_of_date >= (select coalesce(max(trained_as_of_date), date '1970-01-01') from {{ this }})
    {%- endif %}
),

final as (
    select
        model_version,
        trained_as_of_date,
        retrain_reason,
        is_trained,
        status,
        is_leakage_suspected,
        goal,
        cast(json_extract_string(metrics, '$.test_snapshot_date') as date) as test_snapshot_date,
        cast(json_extract(metrics, '$.training_snapshots') as integer) as training_snapshots,
        cast(json_extract(metrics, '$.training_rows') as bigint) as training_rows,
        cast(json_extract(metrics, '$.calibration_rows') as bigint) as calibration_rows,
        cast(json_extract(metrics, '$.test_rows') as bigint) as test_rows,
        cast(json_extract(metrics, '$.base_rate') as double) as base_rate,
        cast(json_extract(metrics, '$.roc_auc') as double) as roc_auc,
        cast(json_extract(metrics, '$.pr_auc') as double) as pr_auc,
        cast(json_extract(metrics, '$.brier_score') as double) as brier_score,
        cast(json_extract(metrics, '$.calibration_error') as double) as calibration_error,
        cast(json_extract(metrics, '$.baseline.roc_auc') as double) as baseline_roc_auc,
        cast(json_extract(metrics, '$.baseline.pr_auc') as double) as baseline_pr_auc,
        cast(json_extract(metrics, '$.baseline.brier_score') as double) as baseline_brier_score,
        cast(json_extract(metrics, '$.baseline.calibration_error') as double) as baseline_calibration_error,
        json_extract_string(metrics, '$.calibration_deciles') as calibration_deciles,
        json_extract_string(metrics, '$.top_features') as top_features,
        feature_names,
        sklearn_version
    from trained
)

select * from final
