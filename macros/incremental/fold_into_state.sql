{#-
  The CTEs that fold a state model's `gained` rows (what this run's events add,
  one row per key) into what the model already holds, ending in `combined`:
  one row per key with each column folded over the held row and the gained one.
  When the model is built from scratch, `combined` is `gained` itself.
    keys:     the columns of the model's unique key (compared null-safely)
    folds:    {column: how it combines}, in the model's column order after the
              keys; one of 'max', 'min', 'sum' or 'any' (a boolean or)
    held_as:  {column: SQL expression} to read a held column as of this run
              instead of as stored (a score decayed to a new as_of, say)
  `gained` must have the keys and the fold columns (any order).
-#}
{% macro fold_into_state(keys, folds, held_as={}) %}
  {%- if state_is_rebuilt() -%}
    {{- return("combined as (\n    select * from gained\n)") -}}
  {%- endif -%}
  {%- set columns = keys + (folds | list) -%}
  {%- set matches = [] -%}
  {%- for key in keys -%}
    {%- do matches.append("state." ~ key ~ " is not distinct from gained." ~ key) -%}
  {%- endfor -%}
  {%- set held_columns = [] -%}
  {%- for column in columns -%}
    {%- do held_columns.append((held_as[column] ~ " as " ~ column) if column in held_as else "state." ~ column) -%}
  {%- endfor -%}
  {%- set folded = [] -%}
  {%- for column, how in folds.items() -%}
    {%- if how == 'any' -%}
      {%- do folded.append(any_where(column) ~ " as " ~ column) -%}
    {%- elif how in ('max', 'min', 'sum') -%}
      {%- do folded.append(how ~ "(" ~ column ~ ") as " ~ column) -%}
    {%- else -%}
      {{ exceptions.raise_compiler_error("fold_into_state: " ~ column ~ " folds by '" ~ how
          ~ "'; use max, min, sum or any") }}
    {%- endif -%}
  {%- endfor -%}
  {{- return("held as (\n    select " ~ held_columns | join(', ') ~ "\n    from " ~ this ~ " as state\n"
      ~ "    inner join gained on " ~ matches | join(' and ') ~ "\n),\n\n"
      ~ "both_sides as (\n    select " ~ columns | join(', ') ~ " from gained\n    union all\n"
      ~ "    select " ~ columns | join(', ') ~ " from held\n),\n\n"
      ~ "combined as (\n    select " ~ (keys + folded) | join(', ') ~ "\n    from both_sides\n"
      ~ "    group by " ~ keys | join(', ') ~ "\n)") -}}
{% endmacro %}
