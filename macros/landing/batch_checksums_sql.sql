{#-
  SQL of the MD5 checksum of the files among the batches `candidates_sql` (a
  query of raw_table, batch_value and batch_size) selects: new files, and files
  whose size or modification time differ from their registration, so that a
  file rewritten with the same bytes is not taken for a changed batch. The
  candidates are found first, while compiling, so that the files are read in
  groups of bounded size (DuckDB holds every file of a read_blob in memory at
  once: 2.7 GB for a first build at 5M contacts) or one by one (Spark's
  binaryFile source reads every file it lists whatever the filter).
  Columns: raw_table, batch_value, batch_checksum. No rows without raw_data_path.
-#}
{% macro batch_checksums_sql(candidates_sql) %}
  {%- set parts = [] -%}
  {%- if execute and var('raw_data_path', '') -%}
    {%- set landed = run_query("select table_name, file_pattern from raw_files._landing") -%}
    {%- set files = {} -%}
    {%- for raw_table, batch_value, batch_size in run_query(candidates_sql ~ " order by 1, 2") -%}
      {%- do files.setdefault(raw_table, []).append({'name': batch_value, 'size': batch_size}) -%}
    {%- endfor -%}
    {%- for table, pattern in landed if table in files -%}
      {%- do parts.append("select '" ~ table ~ "' as raw_table, filename as batch_value, batch_checksum from ("
          ~ file_checksums_sql(pattern, files[table]) ~ ") as checksums") -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if not parts -%}
    {{ return("select cast(null as " ~ dbt.type_string() ~ ") as raw_table, cast(null as " ~ dbt.type_string()
        ~ ") as batch_value, cast(null as " ~ dbt.type_string() ~ ") as batch_checksum where false") }}
  {%- endif -%}
  {{ return(parts | join('\nunion all\n')) }}
{% endmacro %}
