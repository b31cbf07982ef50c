{#-
  docs/purchases.md: whether an order of int_orders_netted counts for RFM and the
  predictions: counted (docs/money.md) and inside the lookback [rfm_lookback_days,
  null = all history up to as_of].
-#}
{% macro is_counted_in_lookback() %}
  {%- set lookback = var('rfm_lookback_days', none) -%}
  is_counted
  {%- if lookback is not none %} and ordered_at >= {{ window_start_sql(lookback) }}{% endif -%}
{% endmacro %}
