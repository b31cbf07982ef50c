{#-
  A rule value as a SQL literal of the column's kind, or a compile error that
  names the segment. Booleans are not numbers here, though Jinja says they are.
-#}
{% macro segment_literal(value, kind, segment_name, path) %}
  {%- set is_bool = value is sameas true or value is sameas false -%}
  {%- if kind == 'number' and value is number and not is_bool -%}
    {{ return(value | string) }}
  {%- elif kind == 'boolean' and is_bool -%}
    {{ return('true' if value else 'false') }}
  {%- elif kind == 'text' and value is string -%}
    {{ return("'" ~ value | replace("'", "''") ~ "'") }}
  {%- elif kind in ['date', 'timestamp'] and value is string
        and modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?$', value) -%}
    {{ return("cast('" ~ value ~ "' as " ~ (dbt.type_timestamp() if kind == 'timestamp' else 'date') ~ ")") }}
  {%- else -%}
    {%- if is_bool -%}{%- set given = 'a boolean' -%}
    {%- elif value is number -%}{%- set given = 'a number' -%}
    {%- elif value is string -%}{%- set given = 'text' -%}
    {%- elif value is none -%}{%- set given = 'nothing' -%}
    {%- else -%}{%- set given = 'a list or mapping' -%}
    {%- endif -%}
    {{ segment_error(segment_name, path ~ " needs a " ~ kind ~ " value, got " ~ value ~ " (" ~ given ~ ")") }}
  {%- endif -%}
{% endmacro %}
