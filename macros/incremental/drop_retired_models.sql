{#-
  on-run-start: drop the tables and views that models of earlier versions of
  this project left in the schema it builds into, and that no model builds
  any more (their names below, each one this project once built). Nothing
  reads them, and their rows (per-person state, events) would otherwise stay
  out of reach of later erasure requests (docs/identity.md "Erasure"). A
  relation of any other name, or built by a node of the graph (a host
  project's model of the same name), is never touched; one line is logged
  per drop.
  Add a model's name here when it is deleted or renamed.
-#}
{% macro drop_retired_models() %}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set retired = [
      'base_marketing__contact_tags', 'base_marketing__contacts', 'base_marketing__erasure_requests',
      'base_marketing__events', 'base_marketing__fx_rates', 'base_marketing__suppressions',
      'int_contacts_activity_aggregated', 'int_contacts_rfm_segmented', 'int_contacts_site_traits_due',
      'int_email_delivery_modes_determined', 'int_email_messages_aggregated', 'int_events_reopened',
      'int_state_commits', 'stg_marketing__erased_contacts', 'stg_marketing__erased_emails',
  ] -%}
  {%- set candidates = [] -%}
  {%- for name in retired -%}
    {%- do candidates.append({'database': target.database, 'schema': target.schema, 'identifier': name}) -%}
  {%- endfor -%}
  {%- do drop_unbuilt_relations(candidates, 'no model of this project builds it any more (drop_retired_models)') -%}
  {{ return('') }}
{% endmacro %}
