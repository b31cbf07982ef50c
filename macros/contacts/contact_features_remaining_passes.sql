{#-
  contact_features' post-hook: inserts passes 1 .. passes-1 (the model's own SQL
  is pass 0). Nothing when there is one pass.
-#}
{% macro contact_features_remaining_passes() %}
  {%- set passes = contact_feature_passes() -%}
  {%- for pass_number in range(1, passes) -%}
    insert into {{ this }} {{ contact_features_sql(pass_number=pass_number, passes=passes) }};
  {% endfor -%}
{% endmacro %}
