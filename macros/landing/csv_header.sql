{#-
  The first line of a CSV file, read raw (no quoting, a delimiter that never
  occurs) so that a header only our reader would choke on still names its
  columns; none for a file with no line at all.
-#}
{% macro csv_first_line(file) %}
  {%- set rows = run_query("select line from read_csv(" ~ file_literal(file) ~ ", header = false, auto_detect = false,"
      ~ " columns = {'line': 'varchar'}, delim = E'\\x01', quote = '', escape = '', max_line_size = 20000000,"
      ~ " strict_mode = false, ignore_errors = true) limit 1") -%}
  {{ return(rows[0][0] if rows | length > 0 else none) }}
{% endmacro %}

{#-
  The column names of a CSV header line (csv_first_line), as written (quotes
  and spaces stripped), in order; an empty list for no line.
-#}
{% macro csv_header(line) %}
  {%- if line is none -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set names = [] -%}
  {%- for name in line.split(',') -%}
    {%- do names.append(name.strip().strip('"').strip()) -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}
