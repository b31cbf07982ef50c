{#-
  True for a staged row that stands for a line the reader could not read
  (docs/landing.md "Unreadable lines"): its reason is unreadable_row, before
  any other. `row` is the alias of the staged relation ('' for none).
-#}
{% macro is_unreadable_row(row='') %}
  {{- return((row ~ '.' if row else '') ~ "unparsed_columns = '_unreadable_line'") -}}
{% endmacro %}
