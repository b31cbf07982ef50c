{#-
  The landing tables (docs/landing.md), in load order: the one list of them.
  models/staging/marketing/_marketing__sources.yml declares the same tables
  with their columns (a test keeps the two in step). fx_rates and exclusions are
  reference tables: read whole on every run, never tracked in batches.
-#}
{% macro landing_tables() %}
  {{ return(['contacts', 'events', 'contact_tags', 'contact_attributes', 'suppressions', 'erasure_requests',
             'fx_rates', 'exclusions']) }}
{% endmacro %}
