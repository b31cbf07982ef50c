{#- Every seg_ column of the model is never null (docs/segments.md). -#}
{% test segment_columns_are_never_null(model) %}
{%- set columns = [] %}
{%- for segment in segment_definitions() %}
    {%- do columns.append('seg_' ~ segment.name) %}
    {%- if segment.holdout_pct is not none %}
        {%- do columns.append('seg_' ~ segment.name ~ '_holdout') %}
    {%- endif %}
{%- endfor %}
select *
from {{ model }}
where {{ columns | join(' is null or ') ~ ' is null' if columns else 'false' }}
{% endtest %}
