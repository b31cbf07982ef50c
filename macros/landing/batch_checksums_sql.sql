{#-
  SQL of the MD5 checksum of the files among the batches of `candidates` (a
  relation with raw_table and batch_value): read only for new files and for
  files whose size or modification time differ from their registration, so
  that a file rewritten with the same bytes is not taken for a changed batch.
  Columns: raw_table, batch_value, batch_checksum. No rows without raw_data_path.
-#}
{% macro batch_checksums_sql(candidates) %}
  {%- set parts = [] -%}
  {%- if execute and var('raw_data_path', '') and target.type == 'duckdb' -%}
    {%- for row in run_query("select table_name, file_pattern from raw_files._landing") -%}
      {%- do parts.append("select '" ~ row[0] ~ "' as raw_table, filename as batch_value, md5(content) as batch_checksum"
          ~ " from read_blob('" ~ row[1] ~ "') where filename in (select batch_value from " ~ candidates
          ~ " where raw_table = '" ~ row[0] ~ "')") -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if not parts -%}
    {{ return("select cast(null as " ~ dbt.type_string() ~ ") as raw_table, cast(null as " ~ dbt.type_string()
        ~ ") as batch_value, cast(null as " ~ dbt.type_string() ~ ") as batch_checksum where false") }}
  {%- endif -%}
  {{ return(parts | join('\nunion all\n')) }}
{% endmacro %}
