-- One row per person as of as_of with every feature (docs/features.md): profile,
-- tags and custom attributes, email engagement, sendability and the audience
-- controls, RFM, lifecycle, site activity, traffic channels, interests, loyalty
-- points, lead score, predicted value and churn and purchase propensity. Read by
-- BI and by contact_segments. The predictions are null where their models do not
-- run (docs/predictions.md: DuckDB only, clv_enabled, propensity_enabled).
-- At millions of persons one join of every feature area needs more memory than
-- DuckDB's limit allows (docs/decisions.md "Cost curve"): the model is built in
-- passes over the persons, the first by its own SQL, the others by its post-hook.
{{ config(post_hook="{{ contact_features_remaining_passes() }}") }}

{{ contact_features_sql(pass_number=0, passes=contact_feature_passes()) }}
