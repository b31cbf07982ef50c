{#-
  Reads a CSV file once, the way staging will, keeping its unreadable lines
  (broken quoting, a wrong number of fields, bytes that are not UTF-8, a line
  over max_line_size) in raw_files._csv_unreadable_lines: file, physical line
  number, error type and the raw text. Records the file, its size, its
  modification time, its count of readable rows, its header line, its physical
  lines after the header (blank ones and those inside quoted fields counted
  apart) and the path staging reads in raw_files._csv_files, and returns
  {readable, unreadable, read_path}. When rows and lines do not add up, the
  quotes are judged line by line (csv_quote_spans): a quote that never closes
  costs its own line only, read from a copy of the file where that line is
  marked unreadable (write_resynced_csv). A file whose rows and lines still
  disagree stops the run naming it. `options` are the read_csv options staging
  uses; `projected` the columns staging reads (an invalid byte counts only in a
  column that is read); `header_line` the file's first line (csv_first_line).
-#}
{% macro scan_unreadable_lines(file, size, modified_at, options, projected, header_line) %}
  {%- set quoted_file = file | replace("'", "''") -%}
  {%- set lines = run_query(csv_line_count_sql(file))[0][0] -%}
  {%- set scan = csv_reject_scan(file, options, projected) -%}
  {%- set found = {'read_path': file, 'blank': 0, 'quoted': 0, 'unreadable': []} -%}
  {%- if scan.readable + scan.unreadable != lines -%}
    {%- do run_query("create or replace temp table csv_lines as " ~ csv_lines_sql(file)) -%}
    {%- set quotes = csv_quote_spans(csv_header(header_line) | length) -%}
    {%- do found.update({'unreadable': quotes.unterminated}) -%}
    {%- if quotes.unterminated -%}
      {#- The copy is written as text: a line that is not UTF-8 is marked unreadable there too. -#}
      {%- set not_utf8 = run_query("select n from csv_lines where not is_utf8").columns[0].values() | list -%}
      {%- do found.update({'read_path': write_resynced_csv(file, quotes.unterminated + not_utf8)}) -%}
      {%- do run_query("drop table csv_rejects; drop table csv_reject_scans") -%}
      {%- set scan = csv_reject_scan(found.read_path, options, projected) -%}
    {%- endif -%}
    {#- (0, 0) keeps the VALUES list valid when no field spans lines. -#}
    {%- set spans = ['(0, 0)'] -%}
    {%- for first, last in quotes.spans -%}
      {%- do spans.append('(' ~ first ~ ', ' ~ last ~ ')') -%}
      {%- do found.update({'quoted': found.quoted + last - first}) -%}
    {%- endfor -%}
    {%- set spans = "(values " ~ spans | join(', ') ~ ")" -%}
    {%- set records = "select lines.n as first_line, coalesce(spans.last_line, lines.n) as last_line,"
        ~ " row_number() over (order by lines.n) as line from csv_lines as lines left join " ~ spans
        ~ " as spans (first_line, last_line) on lines.n = spans.first_line where not exists (select 1 from " ~ spans
        ~ " as inside (first_line, last_line) where lines.n > inside.first_line and lines.n <= inside.last_line)" -%}
    {%- do found.update({'blank': run_query("select count(*) from (" ~ records ~ ") as records inner join csv_lines"
        ~ " as lines on records.first_line = lines.n where lines.n > 1 and lines.line_text = ''")[0][0]}) -%}
    {#- DuckDB numbers a record by its place among records, blank lines included: mapped back to lines. -#}
    {%- set unreadable_sql = "select '" ~ quoted_file ~ "', records.first_line, case when records.first_line in ("
        ~ (found.unreadable + [0]) | join(', ') ~ ") then 'UNTERMINATED QUOTE' when bool_and(lines.is_utf8) then"
        ~ " any_value(rejected.error_type) else 'INVALID ENCODING' end, string_agg(lines.line_text, chr(10) order by"
        ~ " lines.n) from (select distinct on (line) line, error_type from csv_rejects order by line) as rejected"
        ~ " inner join (" ~ records ~ ") as records on rejected.line = records.line inner join csv_lines as lines"
        ~ " on lines.n between records.first_line and records.last_line group by records.first_line" -%}
  {%- else -%}
    {#- No record spans lines here: a broken quote on the last line still carries its line end. -#}
    {%- set unreadable_sql = "select distinct on (line) '" ~ quoted_file ~ "', line, error_type,"
        ~ " rtrim(csv_line, chr(13) || chr(10)) from csv_rejects order by line" -%}
  {%- endif -%}
  {%- if scan.readable + scan.unreadable != lines - found.blank - found.quoted -%}
    {{ exceptions.raise_compiler_error("raw_data_path/" ~ file | replace(var('raw_data_path', '').rstrip('/') ~ '/', '')
        ~ ": " ~ lines ~ " lines after the header (" ~ found.blank ~ " blank, " ~ found.quoted ~ " inside quoted"
        ~ " fields) but " ~ scan.readable ~ " rows read and " ~ scan.unreadable ~ " unreadable; the file cannot be"
        ~ " read line by line (docs/landing.md \"Lines and rows\")") }}
  {%- endif -%}
  {%- do run_query([
      "delete from raw_files._csv_unreadable_lines where file = '" ~ quoted_file ~ "'",
      "insert into raw_files._csv_unreadable_lines " ~ unreadable_sql,
      "delete from raw_files._csv_files where file = '" ~ quoted_file ~ "'",
      "insert into raw_files._csv_files (file, file_size, modified_at, readable_rows, header_line, physical_lines,"
          ~ " blank_lines, quoted_lines, read_path) values ('" ~ quoted_file ~ "', " ~ size ~ ", cast('" ~ modified_at
          ~ "' as timestamp), " ~ scan.readable ~ ", '" ~ header_line | replace("'", "''") ~ "', " ~ lines ~ ", "
          ~ found.blank ~ ", " ~ found.quoted ~ ", '" ~ found.read_path | replace("'", "''") ~ "')",
      "drop table csv_rejects",
      "drop table csv_reject_scans",
      "drop table if exists csv_lines",
  ] | join(';\n')) -%}
  {{ return({'readable': scan.readable, 'unreadable': scan.unreadable, 'read_path': found.read_path}) }}
{% endmacro %}

{#-
  Reads `path` with staging's read_csv `options`, every `projected` column
  read (length(concat(...)) makes DuckDB check each), keeping rejects in the
  temporary tables csv_rejects and csv_reject_scans: {readable, unreadable},
  its rows and its distinct rejected records.
-#}
{% macro csv_reject_scan(path, options, projected) %}
  {%- set read = "read_csv(" ~ file_literal(path) ~ ", " ~ options ~ ", store_rejects = true,"
      ~ " rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans')" -%}
  {%- set readable = run_query("select count(*) from " ~ read ~ " where length(concat(" ~ projected | join(', ')
      ~ ")) >= 0")[0][0] -%}
  {%- set unreadable = run_query("select count(distinct line) from csv_rejects")[0][0] -%}
  {{ return({'readable': readable, 'unreadable': unreadable}) }}
{% endmacro %}
