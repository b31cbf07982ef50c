{#-
  The changes between two sets of members with the same `keys` columns:
  `current` rows not in `previous` entered, `previous` rows not in `current`
  exited; columns `keys` then change. `current`, `previous`: CTE names.
-#}
{% macro membership_changes_sql(current, previous, keys) %}
  {%- for side, other, change in [(current, previous, 'entered'), (previous, current, 'exited')] %}
    select
        {%- for key in keys %}
            {{ side }}.{{ key }},
        {%- endfor %}
        '{{ change }}' as change
    from {{ side }}
    left join {{ other }}
        on
            {%- for key in keys %}
                {{ 'and ' if not loop.first }}{{ side }}.{{ key }} = {{ other }}.{{ key }}
            {%- endfor %}
    where {{ other }}.{{ keys[0] }} is null
    {{- '\n    union all' if loop.first }}
  {%- endfor %}
{% endmacro %}
