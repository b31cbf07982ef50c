{#- Every seg_ column of the model is never null (docs/segments.md). -#}
{% test segment_columns_are_never_null(model) %}
{%- set columns = segment_columns(segment_definitions()) %}
select *
from {{ model }}
where {{ columns | join(' is null or ') ~ ' is null' if columns else 'false' }}
{% endtest %}
