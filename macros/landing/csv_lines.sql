{#-
  SQL of a CSV file's physical lines (docs/landing.md "Lines and rows"): n
  (from 1, the header included), is_utf8, and line_text (the line without its
  terminator; bytes that are not UTF-8 shown as \xNN). A line ends at \r\n, \n
  or \r, as DuckDB's reader ends a record; the empty piece after a final
  terminator is not a line. The file is read as bytes, so a file that is not
  UTF-8 still has lines: its blob text escapes every byte outside printable
  ASCII (and the quote, apostrophe and backslash), so a terminator there is
  always \x0A or \x0D and each line decodes back to its own bytes.
-#}
{% macro csv_lines_sql(file) %}
  {{- return("select n, utf8_text is not null as is_utf8, coalesce(utf8_text, replace(replace(replace(escaped,"
      ~ " '\\x22', '\"'), '\\x27', ''''), '\\x5C', '\\')) as line_text from (select n, escaped,"
      ~ " try(decode(escaped::blob)) as utf8_text from (select unnest(parts) as escaped,"
      ~ " generate_subscripts(parts, 1) as n, len(parts) as pieces from (select"
      ~ " regexp_split_to_array(content::varchar, '\\\\x0D\\\\x0A|\\\\x0A|\\\\x0D') as parts from read_blob("
      ~ file_literal(file) ~ "))) where not (n = pieces and escaped = ''))") -}}
{% endmacro %}

{#-
  SQL of the count of a CSV file's lines after the header (csv_lines_sql's
  rule), without splitting it into rows: one pass over its bytes.
-#}
{% macro csv_line_count_sql(file) %}
  {{- return("select len(parts) - 1 - (parts[-1] = '')::int from (select regexp_split_to_array(content::varchar,"
      ~ " '\\\\x0D\\\\x0A|\\\\x0A|\\\\x0D') as parts from read_blob(" ~ file_literal(file) ~ "))") -}}
{% endmacro %}

{#-
  Which lines of the table csv_lines (csv_lines_sql) a quote joins, and which
  quotes never close: {spans: [(first, last)], unterminated: [n]}. As DuckDB
  reads a line, a quote opens a quoted field only at the start of a field (one
  inside an unquoted field is text), and "" inside it is a quote. A line that
  ends inside a quoted field, and the next line with an odd number of quotes
  (the one that can close it), are one record when, joined, every field is
  whole and there are `fields` of them (RFC 4180: a field spanning lines);
  otherwise the opening line alone is unreadable and reading resumes at the
  line after it. The header is not judged here.
-#}
{% macro csv_quote_spans(fields) %}
  {%- set quoted = '"(?:[^"]|"")*"' -%}
  {%- set unquoted = '[^",\n][^,\n]*' -%}
  {%- set ends_open = "^(?:(?:" ~ quoted ~ "[^,]*|[^\",][^,]*)?,)*\"(?:[^\"]|\"\")*$" -%}
  {%- set field = "(?:" ~ quoted ~ "|" ~ unquoted ~ "|)" -%}
  {%- set record = "^(?:" ~ field ~ ",){" ~ (fields - 1) ~ "}" ~ field ~ "$" -%}
  {%- set pairs = run_query("with lines as (select n, line_text, regexp_full_match(line_text, '"
      ~ ends_open | replace("'", "''") ~ "') as is_opening, min(n) filter (where (length(line_text)"
      ~ " - length(replace(line_text, '\"', ''))) % 2 = 1) over (order by n rows between 1 following and unbounded"
      ~ " following) as closing from csv_lines where n > 1), joined as (select opening.n as opening, opening.closing,"
      ~ " string_agg(lines.line_text, chr(10) order by lines.n) as record from lines as opening inner join lines"
      ~ " on lines.n between opening.n and opening.closing where opening.is_opening group by opening.n,"
      ~ " opening.closing) select lines.n, joined.closing, coalesce(regexp_full_match(joined.record, '"
      ~ record | replace("'", "''") ~ "'), false) from lines left join joined on lines.n = joined.opening"
      ~ " where lines.is_opening order by lines.n") -%}
  {%- set spans = [] -%}
  {%- set unterminated = [] -%}
  {%- set closed = {'through': 0} -%}
  {%- for opening, closing, is_spanning in pairs -%}
    {%- if opening <= closed.through -%}
      {#- Inside the span before. -#}
    {%- elif is_spanning -%}
      {%- do spans.append((opening, closing)) -%}
      {%- do closed.update({'through': closing}) -%}
    {%- else -%}
      {%- do unterminated.append(opening) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return({'spans': spans, 'unterminated': unterminated}) }}
{% endmacro %}

{#-
  Writes a copy of the file in csv_lines where each line in `unreadable` (an
  unterminated quote, or bytes that are not UTF-8) is the word `unreadable`:
  one field, so the reader rejects it alone and reads on at the next line.
  Every other line is written as it was, ended by \n (a \r\n inside a spanning
  field becomes \n). The copy sits beside the warehouse file (DuckDB's COPY
  makes no folders), named by the file's MD5; returns its path.
-#}
{% macro write_resynced_csv(file, unreadable) %}
  {%- set warehouse = run_query("select coalesce(path, 'warehouse') from duckdb_databases()"
      ~ " where database_name = current_database()")[0][0] -%}
  {%- set path = warehouse ~ '.resynced-' ~ local_md5(file) ~ '.csv' -%}
  {%- do run_query("copy (select case when n in (" ~ (unreadable + [0]) | join(', ') ~ ") then 'unreadable'"
      ~ " else line_text end from csv_lines order by n) to '" ~ path | replace("'", "''") ~ "' (format csv,"
      ~ " header false, quote '', escape '', delim E'\\x01')") -%}
  {{ return(path) }}
{% endmacro %}
