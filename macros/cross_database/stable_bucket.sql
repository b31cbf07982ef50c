{#-
  A bucket 0..9999 from an MD5 of `expression`: the same input always lands in
  the same bucket, on every run and engine (used for holdout groups).
-#}
{% macro stable_bucket(expression) %}
  {{- return(adapter.dispatch('stable_bucket', 'contact_segmentation')(expression)) -}}
{% endmacro %}

{% macro default__stable_bucket(expression) %}
  {{- "(cast(('0x' || substr(md5(" ~ expression ~ "), 1, 8)) as bigint) % 10000)" -}}
{% endmacro %}

{% macro postgres__stable_bucket(expression) %}
  {{- "(('x' || lpad(substr(md5(" ~ expression ~ "), 1, 8), 16, '0'))::bit(64)::bigint % 10000)" -}}
{% endmacro %}

{% macro spark__stable_bucket(expression) %}
  {{- "(cast(conv(substr(md5(" ~ expression ~ "), 1, 8), 16, 10) as bigint) % 10000)" -}}
{% endmacro %}
