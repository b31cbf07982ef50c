{#-
  The path of a URL: without scheme, host, query string and fragment, '/' when
  empty ('https://shop.example.com/c/shoes?page=2#top' -> '/c/shoes'). A URL
  that is only a path keeps it; null stays null.
-#}
{% macro url_path(url) %}
  {{- return(adapter.dispatch('url_path', 'contact_segmentation')(url)) -}}
{% endmacro %}

{% macro default__url_path(url) %}
  {{- "coalesce(nullif(regexp_extract(" ~ url ~ ", '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)?([^?#]*)', 1), ''), "
      ~ "case when " ~ url ~ " is not null then '/' end)" -}}
{% endmacro %}

{% macro postgres__url_path(url) %}
  {{- "coalesce(nullif(substring(" ~ url ~ " from '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)?([^?#]*)'), ''), "
      ~ "case when " ~ url ~ " is not null then '/' end)" -}}
{% endmacro %}
