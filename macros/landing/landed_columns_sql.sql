{#-
  The typed columns of a staging model: every column of the landing contract of
  `table`, cleaned and typed by its kind (landed_value), and, for each column
  that is parsed from text, its trimmed text as raw__<column> (read by
  unparsed_values_sql, dropped by the final select), then _unreadable_line (the
  text of a line the reader could not read, null otherwise). One per line.
-#}
{% macro landed_columns_sql(table, columns) %}
  {%- set selected = [] -%}
  {%- for name, spec in landing_contract(table).items() -%}
    {%- do selected.append(landed_value(name, spec.kind, columns) ~ " as " ~ adapter.quote(spec.staged_as)) -%}
    {%- if landed_value_unparsed(name, spec.kind, columns) != 'false' -%}
      {%- do selected.append(clean_text(adapter.quote(name)) ~ " as raw__" ~ name) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- do selected.append(('_unreadable_line' if '_unreadable_line' in columns else 'cast(null as '
      ~ dbt.type_string() ~ ')') ~ ' as _unreadable_line') -%}
  {{ return(selected | join(',\n        ')) }}
{% endmacro %}

{#- The contract's column names of `table`, comma-separated, for a final select. -#}
{% macro landed_column_names(table) %}
  {%- set names = [] -%}
  {%- for spec in landing_contract(table).values() -%}
    {%- do names.append(adapter.quote(spec.staged_as)) -%}
  {%- endfor -%}
  {{ return(names | join(',\n        ')) }}
{% endmacro %}

{#-
  The text values of a row that did not parse as their kind, as 'column=value'
  pairs joined by '; ' (null when every value parsed), over a relation from
  landed_columns_sql: so that such a row can be rejected and shown as it arrived.
  For an unreadable line, its line number and text.
-#}
{% macro unparsed_values_sql(table, columns) %}
  {%- set pairs = [] -%}
  {%- for name, spec in landing_contract(table).items() -%}
    {%- if landed_value_unparsed(name, spec.kind, columns) != 'false' -%}
      {%- do pairs.append("case when raw__" ~ name ~ " is not null and " ~ adapter.quote(spec.staged_as) ~ " is null then '"
          ~ name ~ "=' || raw__" ~ name ~ " end") -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set parsed = "nullif(concat_ws('; ', " ~ pairs | join(', ') ~ "), '')" if pairs
      else "cast(null as " ~ dbt.type_string() ~ ")" -%}
  {{ return("coalesce(_unreadable_line, " ~ parsed ~ ")") }}
{% endmacro %}

{#-
  The names of the columns whose text did not parse as their kind, joined by ','
  (null when none); _unreadable_line for a line the reader could not read.
-#}
{% macro unparsed_columns_sql(table, columns) %}
  {%- set names = [] -%}
  {%- for name, spec in landing_contract(table).items() -%}
    {%- if landed_value_unparsed(name, spec.kind, columns) != 'false' -%}
      {%- do names.append("case when raw__" ~ name ~ " is not null and " ~ adapter.quote(spec.staged_as) ~ " is null then '"
          ~ name ~ "' end") -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set parsed = "nullif(concat_ws(',', " ~ names | join(', ') ~ "), '')" if names
      else "cast(null as " ~ dbt.type_string() ~ ")" -%}
  {{ return("case when _unreadable_line is not null then '_unreadable_line' else " ~ parsed ~ " end") }}
{% endmacro %}
