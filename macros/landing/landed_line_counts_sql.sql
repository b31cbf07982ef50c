{#-
  SQL of one row counting the physical lines of a landing table's CSV files as
  they are now (raw_files._csv_files, recorded when each file was scanned):
  file_lines (after each header), blank_lines and lines_in_quoted_fields (lines
  that continue a quoted field from the line before). Rows in = file_lines -
  blank_lines - lines_in_quoted_fields (docs/landing.md "Lines and rows").
  Null for a table that is not CSV files under raw_data_path.
-#}
{% macro landed_line_counts_sql(table) %}
  {{- return(adapter.dispatch('landed_line_counts_sql', 'contact_segmentation')(table)) -}}
{% endmacro %}

{% macro default__landed_line_counts_sql(table) %}
  {{- return("select cast(null as " ~ dbt.type_bigint() ~ ") as file_lines, cast(null as " ~ dbt.type_bigint()
      ~ ") as blank_lines, cast(null as " ~ dbt.type_bigint() ~ ") as lines_in_quoted_fields") -}}
{% endmacro %}

{% macro duckdb__landed_line_counts_sql(table) %}
  {%- set patterns = run_query("select file_pattern from raw_files._landing where table_name = '" ~ table
      ~ "' and file_format = 'csv'").columns[0].values() if execute and var('raw_data_path', '') else [] -%}
  {%- if not patterns -%}
    {{- return(default__landed_line_counts_sql(table)) -}}
  {%- endif -%}
  {{- return("select sum(scans.physical_lines) as file_lines, sum(scans.blank_lines) as blank_lines,"
      ~ " sum(scans.quoted_lines) as lines_in_quoted_fields from raw_files._csv_files as scans inner join read_blob('"
      ~ patterns[0] ~ "') as blobs on scans.file = blobs.filename and scans.file_size = blobs.size"
      ~ " and scans.modified_at = cast(blobs.last_modified as timestamp)") -}}
{% endmacro %}
