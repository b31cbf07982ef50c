{#- Every boolean seg_ column of the model is never null (docs/segments.md); a split group is null outside the audience. -#}
{% test segment_columns_are_never_null(model) %}
{%- set columns = [] %}
{%- for column in segment_columns(segment_definitions()) if not column.endswith('_split') %}
    {%- do columns.append(column) %}
{%- endfor %}
select *
from {{ model }}
where {{ columns | join(' is null or ') ~ ' is null' if columns else 'false' }}
{% endtest %}
