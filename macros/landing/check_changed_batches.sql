{#-
  Stops the run when a batch registered before has changed since, or is gone
  (a processed batch must not change: docs/landing.md), naming the files,
  unless the reprocess_changed_batches var asks to read them again (a changed
  file) or to drop them (a file that is gone). `registered` is the manifest
  relation (none on its first build).
-#}
{% macro check_changed_batches(registered) %}
  {%- if not execute or registered is none or var('reprocess_changed_batches', false) -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set changed = run_query(batch_judgement_sql(registered) ~ " select batch_name, batch_status, previous_size,"
      ~ " batch_size from judged where batch_status in ('changed', 'removed') order by 2, 1") -%}
  {%- if changed.rows | length > 0 -%}
    {%- set first = changed.rows[0] -%}
    {%- set what = "is gone" if first[1] == 'removed' else "changed (" ~ first[2] ~ " -> " ~ first[3]
        ~ " bytes or rows)" -%}
    {{ exceptions.raise_compiler_error(
        (changed.rows | length) ~ " processed batch(es) changed or are gone since they were loaded: " ~ first[0]
        ~ " " ~ what ~ ". A processed batch must not change. Restore it, or read the landing as it is now with"
        ~ " --vars '{reprocess_changed_batches: true}' (or rebuild everything with --full-refresh).") }}
  {%- endif -%}
  {{ return(none) }}
{% endmacro %}

{#-
  A WITH clause ending in `judged`: every current batch with its status against
  its latest registration in `registered` (none: every batch is new), its
  checksum when it was read, and previous_size; plus every registered batch of
  a folder that is no longer there, with the status removed.
-#}
{% macro batch_judgement_sql(registered) %}
  {%- set latest -%}
    {%- if registered is not none -%}
      select raw_table, batch_value, batch_name, batch_size, batch_modified_at, batch_checksum, is_whole_table,
      is_removed from (select *, row_number() over (partition by raw_table, batch_value order by load_batch_number
      desc) as recency from {{ registered }}) as registrations where recency = 1
    {%- else -%}
      select * from (select cast(null as {{ dbt.type_string() }}) as raw_table, cast(null as {{ dbt.type_string() }})
      as batch_value, cast(null as {{ dbt.type_string() }}) as batch_name, cast(null as {{ dbt.type_bigint() }}) as
      batch_size, cast(null as {{ dbt.type_timestamp() }}) as batch_modified_at, cast(null as
      {{ dbt.type_string() }}) as batch_checksum, false as is_whole_table, false as is_removed) as nothing where false
    {%- endif -%}
  {%- endset -%}
  {%- set join = " on current_batches.raw_table = latest.raw_table and current_batches.batch_value = latest.batch_value" -%}
  {%- set batches = "with current_batches as (" ~ landed_batches_sql() ~ "), latest as (" ~ latest ~ ")" -%}
  {%- set to_check = "select current_batches.raw_table, current_batches.batch_value, current_batches.batch_size"
      ~ " from current_batches left join"
      ~ " latest" ~ join ~ " where not current_batches.is_whole_table and (latest.batch_value is null"
      ~ " or current_batches.batch_size is distinct from latest.batch_size"
      ~ " or current_batches.batch_modified_at is distinct from latest.batch_modified_at)" -%}
  {{ return(batches ~ ", checksums as (" ~ batch_checksums_sql(batches ~ " " ~ to_check) ~ "),"
      ~ " judged as (select current_batches.*, latest.batch_size as previous_size, checksums.batch_checksum, "
      ~ batch_status_sql('current_batches', 'latest', 'checksums') ~ " as batch_status from current_batches"
      ~ " left join latest" ~ join ~ " left join checksums on current_batches.raw_table = checksums.raw_table"
      ~ " and current_batches.batch_value = checksums.batch_value"
      ~ " union all select latest.raw_table, latest.batch_value, latest.batch_name, 0, null, false, latest.batch_size,"
      ~ " null, 'removed' from latest left join current_batches" ~ join ~ " where current_batches.batch_value is null"
      ~ " and not latest.is_whole_table and not latest.is_removed)") }}
{% endmacro %}
