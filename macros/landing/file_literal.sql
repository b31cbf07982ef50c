{#-
  The SQL string literal that names exactly the file `path` to DuckDB's file
  functions (read_csv, read_blob, glob). They read every string as a glob
  pattern, so a landed file named "events[1].csv" would be read as
  "events1.csv" (or found missing): each [, * and ? is written as a class of
  that one character ([[], [*], [?]), and a quote is doubled.
-#}
{% macro file_literal(path) %}
  {{- return("'" ~ modules.re.sub('([\\[*?])', '[\\1]', path) | replace("'", "''") ~ "'") -}}
{% endmacro %}
