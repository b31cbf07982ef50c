{#-
  A trait's aggregate checked against the value it reads (docs/traits.md):
  count takes no value; sum and avg a number property; min and max a number
  property or occurred_at; first and last any property or occurred_at;
  most_frequent and list a text property (list with an optional limit);
  distinct_count any property. Returns {column, value_kind, kind, limit}: the
  events column read, its kind, the kind of the trait and the list's limit.
  `entry`: the trait; `properties`: segment_event_properties(); `label`: for errors.
-#}
{% macro trait_value_kind(entry, properties, label) %}
  {%- set aggregates = ['count', 'sum', 'avg', 'min', 'max', 'first', 'last', 'most_frequent', 'distinct_count',
                        'list'] -%}
  {%- set aggregate = entry.get('aggregate') -%}
  {%- if aggregate not in aggregates -%}
    {{ segment_error(label, "aggregate must be one of " ~ aggregates | join(', ')) }}
  {%- endif -%}
  {%- set value = entry.get('value') -%}
  {%- set value_kind = 'timestamp' if value == 'occurred_at' else properties.get(value) -%}
  {%- set takes = {'count': [none], 'sum': ['number'], 'avg': ['number'], 'min': ['number', 'timestamp'],
                   'max': ['number', 'timestamp'], 'first': ['number', 'text', 'timestamp'],
                   'last': ['number', 'text', 'timestamp'], 'most_frequent': ['text'], 'list': ['text'],
                   'distinct_count': ['number', 'text']}[aggregate] -%}
  {%- if (aggregate == 'count' and value is not none) or (aggregate != 'count' and value_kind not in takes) -%}
    {{ segment_error(label, aggregate ~ (" takes no value" if aggregate == 'count' else " needs a value: "
        ~ ('occurred_at or ' if 'timestamp' in takes else '') ~ 'a ' ~ takes | reject('equalto', 'timestamp')
        | join(' or ') ~ " property of the events")) }}
  {%- endif -%}
  {%- set limit = entry.get('limit') -%}
  {%- if limit is not none and (aggregate != 'list' or limit is not number or limit is sameas true
                                or limit != limit | int or limit < 1) -%}
    {{ segment_error(label, "limit is for a list: a whole number of at least 1") }}
  {%- endif -%}
  {%- set kind = {'count': 'number', 'distinct_count': 'number', 'sum': 'number', 'avg': 'number',
                  'most_frequent': 'text', 'list': 'list'}.get(aggregate, value_kind) -%}
  {%- set column = 'revenue_reporting' if value == 'revenue' else value -%}
  {{ return({'column': column, 'value_kind': value_kind, 'kind': kind, 'limit': limit}) }}
{% endmacro %}
