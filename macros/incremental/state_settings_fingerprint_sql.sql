{#-
  SQL of one text that changes whenever anything the admission of events, the
  per-contact state or the feature tables were built from changes other than
  the batches: the vars they read, the event type mappings, the FX rates, the
  channel groupings, the SQL of the state models (dbt's checksum of each file:
  an edited state model is rebuilt, not folded into) and the version of the
  state's own layout. A run whose
  fingerprint differs from the last committed one rebuilds admission, state and
  feature tables in full (docs/incremental.md).
-#}
{% macro state_settings_fingerprint_sql() %}
  {%- set checksums = [] -%}
  {%- for unique_id in state_models() -%}
    {%- do checksums.append(graph.nodes[unique_id].checksum.checksum) -%}
  {%- endfor -%}
  {%- set settings = {
      'state_version': 4,
      'reporting_currency': var('reporting_currency'),
      'lead_score_points': var('lead_score_points'),
      'lead_score_half_life_days': var('lead_score_half_life_days'),
      'state_window_days': state_window_days(),
      'interest_days': var('interest_days'),
      'traffic_channel_days': var('traffic_channel_days'),
      'state_models': checksums,
  } -%}
  {%- set mappings = sorted_text_agg("source_event_type || '=' || event_type") -%}
  {%- set rates = sorted_text_agg("coalesce(currency, '') || '=' || coalesce(cast(rate_to_reporting as "
      ~ dbt.type_string() ~ "), '')") -%}
  {%- set groupings = sorted_text_agg("cast(rule_order as " ~ dbt.type_string() ~ ") || '=' || channel || '='"
      ~ " || coalesce(source_pattern, '') || '=' || coalesce(medium_pattern, '')") -%}
  {{- return("md5('" ~ tojson(settings, sort_keys=true) ~ "' || coalesce((select " ~ mappings ~ " from "
      ~ ref('event_type_mappings') ~ "), '') || '|' || coalesce((select " ~ rates ~ " from "
      ~ ref('stg_marketing__fx_rates') ~ "), '') || '|' || coalesce((select " ~ groupings ~ " from "
      ~ ref('channel_groupings') ~ "), ''))") -}}
{% endmacro %}
