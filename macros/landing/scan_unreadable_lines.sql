{#-
  Reads a CSV file once, the way staging will, keeping its unreadable lines
  (broken quoting, a wrong number of fields, bytes that are not UTF-8, a line
  over max_line_size) in raw_files._csv_unreadable_lines: file, line number,
  DuckDB's error type and the raw text. Records the file, its size, its
  modification time, its count of readable rows and its header line in
  raw_files._csv_files, and returns {readable, unreadable}, the counts of rows and
  of unreadable lines. `options` are the read_csv options staging uses;
  `projected` the columns staging reads (an invalid byte counts only in a column
  that is read); `header_line` the file's first line (csv_first_line).
-#}
{% macro scan_unreadable_lines(file, size, modified_at, options, projected, header_line) %}
  {%- set quoted_file = file | replace("'", "''") -%}
  {%- set read = "read_csv('" ~ quoted_file ~ "', " ~ options ~ ", store_rejects = true,"
      ~ " rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans')" -%}
  {#- length(concat(...)) makes DuckDB read (and check) every projected column. -#}
  {%- set counted = run_query("select count(*) from " ~ read ~ " where length(concat(" ~ projected | join(', ')
      ~ ")) >= 0") -%}
  {%- set statements = [
      "delete from raw_files._csv_unreadable_lines where file = '" ~ quoted_file ~ "'",
      "insert into raw_files._csv_unreadable_lines select distinct on (line) '" ~ quoted_file ~ "', line,"
          ~ " error_type, csv_line from csv_rejects order by line",
      "delete from raw_files._csv_files where file = '" ~ quoted_file ~ "'",
      "insert into raw_files._csv_files values ('" ~ quoted_file ~ "', " ~ size ~ ", cast('" ~ modified_at
          ~ "' as timestamp), " ~ counted[0][0] ~ ", '" ~ header_line | replace("'", "''") ~ "')",
      "drop table csv_rejects",
      "drop table csv_reject_scans",
  ] -%}
  {%- set unreadable = run_query("select count(distinct line) from csv_rejects")[0][0] -%}
  {%- do run_query(statements | join(';\n')) -%}
  {{ return({'readable': counted[0][0], 'unreadable': unreadable}) }}
{% endmacro %}
