{#-
  The column names of a CSV file's header line, as written (quotes and spaces
  stripped), in order; an empty list for a file with no line at all. The line is
  read raw (no quoting, a delimiter that never occurs), so that a header only
  our reader would choke on still names its columns.
-#}
{% macro csv_header(file) %}
  {%- set rows = run_query("select line from read_csv('" ~ file ~ "', header = false, auto_detect = false,"
      ~ " columns = {'line': 'varchar'}, delim = E'\\x01', quote = '', escape = '', max_line_size = 20000000,"
      ~ " strict_mode = false, ignore_errors = true) limit 1") -%}
  {%- if rows | length == 0 or rows[0][0] is none -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set names = [] -%}
  {%- for name in rows[0][0].split(',') -%}
    {%- do names.append(name.strip().strip('"').strip()) -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}
