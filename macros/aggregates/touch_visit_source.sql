{#-
  The visit source ('<utm_source>|<utm_medium>') of a touch key, the text
  int_contact_site_touches keeps per first and last page view:
  sortable_timestamp_text (26 characters), '|', then the visit source.
-#}
{% macro touch_visit_source(touch_key) %}
  {{- return("substr(" ~ touch_key ~ ", 28)") -}}
{% endmacro %}
