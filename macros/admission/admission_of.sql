{#-
  How each landing table is admitted: the model that holds the fate of its rows,
  the column keying a row there, and the row's own key and contact id as users
  know them. For events the model holds only the rows that are not kept
  (int_events_dropped, erased ones included as bare counts); for every other
  table it holds every row but an erased person's (all_rows). The one place the
  data-quality marts read this from.
-#}
{% macro admission_of(table) %}
  {%- set admissions = {
      'contacts': {'model': 'int_contacts_admitted', 'row_id': 'contact_row_id', 'row_key': 'contact_id',
                   'contact_id': 'contact_id', 'all_rows': true},
      'events': {'model': 'int_events_dropped', 'row_id': 'event_row_id', 'row_key': 'event_id',
                 'contact_id': 'contact_id', 'all_rows': false},
      'contact_tags': {'model': 'int_contact_tags_admitted', 'row_id': 'contact_tag_row_id', 'row_key': 'tag',
                       'contact_id': 'contact_id', 'all_rows': true},
      'contact_attributes': {'model': 'int_contact_attributes_admitted', 'row_id': 'contact_attribute_row_id',
                             'row_key': 'attribute_name', 'contact_id': 'contact_id', 'all_rows': true},
      'suppressions': {'model': 'int_suppressions_admitted', 'row_id': 'suppression_row_id', 'row_key': 'email',
                       'contact_id': 'null', 'all_rows': true},
      'erasure_requests': {'model': 'int_erasure_requests_admitted', 'row_id': 'erasure_request_row_id',
                           'row_key': 'null', 'contact_id': 'null', 'all_rows': true},
      'fx_rates': {'model': 'int_fx_rates_admitted', 'row_id': 'fx_rate_row_id', 'row_key': 'currency',
                   'contact_id': 'null', 'all_rows': true},
      'exclusions': {'model': 'int_exclusions_admitted', 'row_id': 'exclusion_row_id', 'row_key': 'pattern',
                     'contact_id': 'null', 'all_rows': true},
  } -%}
  {{ return(admissions[table]) }}
{% endmacro %}

{#-
  SQL of one table's fate counts from its admission model: rows_listed (rows in
  the model), rows_rejected, rows_collapsed and, for events, rows_erased.
  `group_by` adds a grouping column (load_batch_number).
-#}
{% macro admission_counts_sql(table, group_by=none) %}
  {%- set admission = admission_of(table) -%}
  {%- set erased = "is_erased" if not admission.all_rows else "false" -%}
  {{- return("select " ~ (group_by ~ ", " if group_by else "")
      ~ "count(*) as rows_listed, "
      ~ count_where("not " ~ erased ~ " and rejection_reason is not null") ~ " as rows_rejected, "
      ~ count_where("not " ~ erased ~ " and rejection_reason is null and is_collapsed") ~ " as rows_collapsed, "
      ~ count_where(erased) ~ " as rows_erased from " ~ ref(admission.model)
      ~ (" group by " ~ group_by if group_by else "")) -}}
{% endmacro %}
