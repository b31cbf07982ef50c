{#- The landing tables of SPEC "Raw inputs", in load order. -#}
{% macro raw_tables() %}
  {{ return(['contacts', 'events', 'contact_tags', 'contact_attributes',
             'suppressions', 'erasure_requests', 'fx_rates']) }}
{% endmacro %}
