{#-
  A per-contact state model (docs/incremental.md "State tables") in one call:
  the rows this run's events add, folded by key into the rows the model holds.
  The keys it folds by are the model's unique_key (its config), so that the
  fold and the merge can never key differently. The model states only what
  is its own, as named arguments:
    events_where: which kept events it reads (state_events: every kept event
                  in a full run, only what int_state_delta folds in a delta run)
    gained:       a select over `events` (the events above): what they add,
                  one row per key, with the keys and the fold columns
    folds:        {column: 'max', 'min', 'sum' or 'any'}, in its column order
    held_as:      {column: SQL expression} to read a held column as of this
                  run instead of as stored (a score decayed to a new as_of)
    columns:      the select list of its rows over the folded columns
    steps:        {name: select} the CTEs `gained` reads, in order, between
                  `events` and `gained`
-#}
{% macro state_table(events_where, gained, folds, held_as={}, columns=['*'], steps={}) %}
  {%- set keys = config.get('unique_key') -%}
  {%- set keys = [keys] if keys is string else keys -%}
  {#- Inline: DuckDB holds a CTE read more than once (the trait days read the events four times) whole, and
      that, not the group-by, needed the memory (docs/decisions.md "Cost curve"). -#}
  {%- set ctes = ["events as " ~ (inlined_cte() ~ " ").lstrip() ~ "(\n    " ~ state_events(events_where) ~ "\n)"] -%}
  {%- for name, sql in steps.items() -%}
    {%- do ctes.append(name ~ " as (\n    " ~ sql | trim ~ "\n)") -%}
  {%- endfor -%}
  {%- do ctes.append("gained as (\n    " ~ gained | trim ~ "\n)") -%}
  {%- do ctes.append(fold_into_state(keys=keys, folds=folds, held_as=held_as)) -%}
  {%- do ctes.append("final as (\n    select\n        " ~ columns | join(",\n        ")
      ~ "\n    from combined\n)") -%}
  {{- return("with\n\n" ~ ctes | join(",\n\n") ~ "\n\nselect * from final\n") -}}
{% endmacro %}
