{#-
  The select over the CSV files of one landing table (a file, or a folder of
  them), one branch per file: every contract column (null where the file lacks
  an optional one), the file (_file), the row's position among the file's rows
  (_file_row) and, for an unreadable line, its text (_unreadable_line, null
  otherwise). Each file's header is checked first: an empty file, or one
  without a required column, stops the run with one line naming the file; a
  missing optional column (treated as empty) and a column outside the contract
  (ignored) are warned about once, when the file is first seen. Each file is
  scanned for unreadable lines once at its size and modification time. Unreadable
  lines (scan_unreadable_lines) come after the readable rows of their file, so
  every row keeps one stable position (docs/landing.md "Unreadable lines").
  Both reads keep bad lines apart with store_rejects and read every column
  staging reads (the length(concat(...)) filter), whatever the reader of the
  view selects: DuckDB recovers from a broken line differently with fewer
  columns or with ignore_errors, and every count of the file must agree.
-#}
{% macro read_csv_files(table, pattern) %}
  {%- set contract = landing_contract(table) -%}
  {%- set shown_root = var('raw_data_path', '').rstrip('/') ~ '/' -%}
  {#- The files, each with its scan and header line when it was scanned at this size and time (one query
      for all): a file seen before is not opened again here. -#}
  {%- set files = run_query("select blobs.filename, blobs.size, cast(blobs.last_modified as timestamp),"
      ~ " scans.readable_rows, (select count(*) from raw_files._csv_unreadable_lines as lines"
      ~ " where lines.file = scans.file), scans.header_line, scans.physical_lines, scans.read_path"
      ~ " from read_blob('" ~ pattern ~ "') as blobs"
      ~ " left join raw_files._csv_files as scans on blobs.filename = scans.file and blobs.size = scans.file_size"
      ~ " and cast(blobs.last_modified as timestamp) = scans.modified_at order by blobs.filename") -%}
  {%- set branches = [] -%}
  {#- Files scanned before header lines were recorded: recorded now, once. -#}
  {%- set unrecorded = [] -%}
  {%- for file, size, modified_at, readable_rows, unreadable_lines, header_line, physical_lines, read_path in files -%}
    {%- set shown = 'raw_data_path/' ~ file | replace(shown_root, '') -%}
    {%- set line = header_line if header_line is not none else csv_first_line(file) -%}
    {%- if header_line is none and readable_rows is not none and line is not none -%}
      {%- do unrecorded.append("('" ~ file | replace("'", "''") ~ "', '" ~ line | replace("'", "''") ~ "')") -%}
    {%- endif -%}
    {%- set header = csv_header(line) -%}
    {%- if header | length == 0 -%}
      {{ exceptions.raise_compiler_error(shown ~ ": empty file, not even a header line") }}
    {%- endif -%}
    {%- set by_name = {} -%}
    {%- for name in header -%}
      {%- do by_name.update({name | lower: name}) -%}
    {%- endfor -%}
    {#- Scanned before lines were counted, or read from a copy that is gone: scanned again. -#}
    {%- set is_new = readable_rows is none or physical_lines is none or (read_path != file
        and run_query("select count(*) from glob(" ~ file_literal(read_path) ~ ")")[0][0] == 0) -%}
    {%- set selected = [] -%}
    {%- set projected = [] -%}
    {%- for name, spec in contract.items() -%}
      {%- if name in by_name -%}
        {%- do selected.append(adapter.quote(by_name[name]) ~ " as " ~ adapter.quote(name)) -%}
        {%- do projected.append(adapter.quote(by_name[name])) -%}
      {%- elif spec.required -%}
        {{ exceptions.raise_compiler_error(shown ~ ": no column " ~ name ~ " (columns found: " ~ header | join(', ')
            ~ ")") }}
      {%- else -%}
        {%- do selected.append("cast(null as varchar) as " ~ adapter.quote(name)) -%}
        {%- if is_new -%}
          {%- do exceptions.warn(shown ~ ": no column " ~ name ~ "; it is treated as empty") -%}
        {%- endif -%}
      {%- endif -%}
    {%- endfor -%}
    {%- for name in header if is_new and name | lower not in contract -%}
      {%- do exceptions.warn(shown ~ ": column " ~ name ~ " is not in the landing contract and is ignored") -%}
    {%- endfor -%}
    {%- set declared = [] -%}
    {%- for name in header -%}
      {%- do declared.append("'" ~ name | replace("'", "''") ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {%- set options = "header = true, auto_detect = false, columns = {" ~ declared | join(', ') ~ "}, delim = ',',"
        ~ " quote = '\"', escape = '\"', max_line_size = " ~ var('csv_max_line_bytes') -%}
    {%- set scan = scan_unreadable_lines(file, size, modified_at, options, projected, line) if is_new
        else {'readable': readable_rows, 'unreadable': unreadable_lines, 'read_path': read_path} -%}
    {%- set quoted_file = file | replace("'", "''") -%}
    {%- do branches.append("select " ~ selected | join(', ') ~ ", '" ~ quoted_file ~ "' as _file, row_number() over ()"
        ~ " as _file_row, cast(null as varchar) as _unreadable_line from read_csv("
        ~ file_literal(scan.read_path) ~ ", " ~ options
        ~ ", store_rejects = true) where length(concat(" ~ projected | join(', ') ~ ")) >= 0") -%}
    {%- if scan.unreadable > 0 -%}
      {%- set nulls = [] -%}
      {%- for name in contract -%}
        {%- do nulls.append("cast(null as varchar) as " ~ adapter.quote(name)) -%}
      {%- endfor -%}
      {%- do branches.append("select " ~ nulls | join(', ') ~ ", file as _file, " ~ scan.readable
          ~ " + row_number() over (order by line) as _file_row, 'line ' || line || ': ' || left(raw_text, "
          ~ var('unreadable_text_chars') ~ ") as _unreadable_line from raw_files._csv_unreadable_lines where file = '"
          ~ quoted_file ~ "'") -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if unrecorded -%}
    {%- do run_query("update raw_files._csv_files as scans set header_line = lines.line from (values "
        ~ unrecorded | join(', ') ~ ") as lines (file, line) where scans.file = lines.file") -%}
  {%- endif -%}
  {{ return(branches | join('\nunion all\n')) }}
{% endmacro %}
