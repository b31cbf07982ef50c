{#-
  SQL of a current batch's status against its latest registration: whole_table
  (read again on every run), new (never registered, or registered as removed),
  changed (a different size, or a different modification time and checksum), or
  registered (nothing to do); batch_judgement_sql adds removed, a file that
  is gone. The arguments name the relations of the current batches, their
  latest registrations and the checksums of the files whose metadata differ
  (batch_checksums_sql). The comparisons are in parentheses for sqlfluff's
  parser, which reads `is distinct from` inside a case only there.
-#}
{% macro batch_status_sql(current_batches, latest, checksums) %}
  {{- return("case when " ~ current_batches ~ ".is_whole_table then 'whole_table'"
      ~ " when " ~ latest ~ ".batch_value is null or " ~ latest ~ ".is_removed then 'new'"
      ~ " when (" ~ current_batches ~ ".batch_size is distinct from " ~ latest ~ ".batch_size) then 'changed'"
      ~ " when (" ~ current_batches ~ ".batch_modified_at is not distinct from " ~ latest ~ ".batch_modified_at)"
      ~ " then 'registered'"
      ~ " when (" ~ checksums ~ ".batch_checksum is distinct from " ~ latest ~ ".batch_checksum) then 'changed'"
      ~ " else 'registered' end") -}}
{% endmacro %}
