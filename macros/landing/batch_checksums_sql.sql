{#-
  SQL of the MD5 checksum of the files among the batches of `candidates` (a
  relation with raw_table and batch_value): read only for new files and for
  files whose size or modification time differ from their registration, so
  that a file rewritten with the same bytes is not taken for a changed batch.
  `candidates_sql` is the same set as a query of its own: Spark's binaryFile
  source reads the contents of every file it lists whatever the filter, so
  there the candidates are found first and read file by file.
  Columns: raw_table, batch_value, batch_checksum. No rows without raw_data_path.
-#}
{% macro batch_checksums_sql(candidates, candidates_sql) %}
  {%- set parts = [] -%}
  {%- if execute and var('raw_data_path', '') -%}
    {%- set landed = run_query("select table_name, file_pattern from raw_files._landing") -%}
    {%- set files = {} -%}
    {%- if target.type == 'spark' -%}
      {%- for raw_table, batch_value in run_query(candidates_sql) -%}
        {%- do files.setdefault(raw_table, []).append(batch_value) -%}
      {%- endfor -%}
    {%- endif -%}
    {%- for table, pattern in landed if target.type != 'spark' or table in files -%}
      {%- do parts.append("select '" ~ table ~ "' as raw_table, filename as batch_value, batch_checksum from ("
          ~ file_checksums_sql(pattern, files.get(table, candidates ~ " where raw_table = '" ~ table ~ "'"))
          ~ ") as checksums") -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if not parts -%}
    {{ return("select cast(null as " ~ dbt.type_string() ~ ") as raw_table, cast(null as " ~ dbt.type_string()
        ~ ") as batch_value, cast(null as " ~ dbt.type_string() ~ ") as batch_checksum where false") }}
  {%- endif -%}
  {{ return(parts | join('\nunion all\n')) }}
{% endmacro %}
