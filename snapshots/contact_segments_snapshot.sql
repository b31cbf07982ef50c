{#-
  SCD2 history of contact_segments for users who want it: a new version of a
  contact's row whenever any of its segment flags or headline features change
  (as_of_date is left out, or every day would be a change). dbt_valid_from is
  when the snapshot ran, not as_of, so for point-in-time history built by
  backfills use segment_membership_changes. Contacts that disappear (erased)
  have every version deleted after each run. Not built on Spark: dbt snapshots
  there need Delta, Iceberg or Hudi tables (see README "Other engines").
-#}
{% snapshot contact_segments_snapshot %}
{{ config(
    unique_key='contact_id',
    strategy='check',
    check_cols='all',
    post_hook="{{ purge_erased(this) }}",
    enabled=target.type != 'spark',
) }}
{%- set columns = ['contact_id', 'email', 'email_sha256', 'first_name', 'country', 'timezone', 'language',
                   'acquisition_source', 'customer_status', 'funnel_stage', 'rfm_segment',
                   'email_engagement_status', 'lead_score', 'is_email_sendable', 'primary_segment'] %}
{%- do columns.extend(segment_columns(segment_definitions())) %}
-- depends_on: {{ ref('int_erased_contacts') }}
select {{ columns | join(', ') }}
from {{ ref('contact_segments') }}
{% endsnapshot %}
