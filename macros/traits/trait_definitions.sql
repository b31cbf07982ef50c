{#-
  The computed traits declared in the meta of contact_traits (models/marts/
  contacts/_contacts__models.yml), or of the host project's model named by the
  trait_file_model var, validated (docs/traits.md): each a unique snake_case
  name that is no contact_features column, an aggregate, the value it reads, an
  event condition (event, where) and at most one window (within_days,
  between_days or last_n). Each needs its column, with a description and a
  data_type of the kind its aggregate gives, in the order of the list. Returns
  per trait {name, description, aggregate, columns, value, value_kind, kind,
  filters, last_n, limit, event_type}: `columns` are the events columns it reads. A mistake stops compilation with one line
  naming the trait.
-#}
{% macro trait_definitions() %}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
      | selectattr('name', 'equalto', var('trait_file_model')) | list -%}
  {%- if not nodes -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set node = nodes[0] -%}
  {%- set features = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
      | selectattr('name', 'equalto', 'contact_features') | list -%}
  {%- set feature_columns = features[0].columns.keys() | list if features else [] -%}
  {%- set properties = segment_event_properties() -%}
  {%- set allowed = ['name', 'aggregate', 'value', 'event', 'where', 'within_days', 'between_days', 'last_n',
                     'limit'] -%}
  {%- set traits = [] -%}
  {%- for entry in node.config.meta.get('traits') or [] -%}
    {%- set name = entry.get('name') if entry is mapping else none -%}
    {%- set label = {'trait': name if name is string else '#' ~ loop.index} -%}
    {%- if name is not string or not modules.re.match('^[a-z][a-z0-9_]*$', name) -%}
      {{ segment_error(label, "each trait needs a snake_case name (lower-case letters, digits, _; a letter first)") }}
    {%- endif -%}
    {%- if name in traits | map(attribute='name') or name in feature_columns -%}
      {{ segment_error(label, "the name is taken (by another trait or a contact_features column)") }}
    {%- endif -%}
    {%- for key in entry if key not in allowed -%}
      {{ segment_error(label, "unknown key '" ~ key ~ "'; a trait takes " ~ allowed | join(', ')) }}
    {%- endfor -%}
    {%- set shape = trait_value_kind(entry, properties, label) -%}
    {%- set match = segment_event_filter(entry, label, 'the trait') -%}
    {%- set window = segment_event_window(entry, label, 'the trait') -%}
    {%- set last_n = entry.get('last_n') -%}
    {%- if last_n is not none and (window.filters or last_n is not number or last_n is sameas true
                                   or last_n != last_n | int or last_n < 1) -%}
      {{ segment_error(label, "last_n must be a whole number of at least 1, without within_days or between_days") }}
    {%- endif -%}
    {%- set column = node.columns.get(name) -%}
    {%- if column is none or not (column.description or '') | trim -%}
      {{ segment_error(label, "add its column `- name: " ~ name ~ "` with a data_type and a description") }}
    {%- endif -%}
    {%- if data_type_kind(column.data_type) != shape.kind -%}
      {{ segment_error(label, entry.aggregate ~ " of " ~ entry.get('value', 'events') ~ " gives a " ~ shape.kind
          ~ " value: declare a " ~ shape.kind ~ " data_type, not " ~ (column.data_type or 'none')) }}
    {%- endif -%}
    {%- set read = ['contact_id', 'event_id', 'occurred_at', 'event_type', 'is_machine_open'] -%}
    {%- for condition in entry.get('where', []) -%}
      {%- do read.append('revenue_reporting' if condition.property == 'revenue' else condition.property) -%}
    {%- endfor -%}
    {%- do read.append(shape.column) if shape.column is not none -%}
    {%- do traits.append({'name': name, 'description': column.description | trim, 'aggregate': entry.aggregate,
        'columns': read | unique | list,
        'value': shape.column, 'value_kind': shape.value_kind, 'kind': shape.kind, 'data_type': column.data_type,
        'filters': match.filters + window.filters, 'last_n': last_n, 'limit': shape.limit,
        'event_type': entry.event}) -%}
  {%- endfor -%}
  {%- set declared = node.columns.keys() | reject('in', ['contact_id', 'as_of_date']) | list -%}
  {%- if declared != traits | map(attribute='name') | list -%}
    {{ segment_error({'trait': (declared | reject('in', traits | map(attribute='name')) | list + ['?'])[0]},
        "the columns of " ~ node.name ~ " must be contact_id, the traits in the order of the list, as_of_date") }}
  {%- endif -%}
  {{ return(traits) }}
{% endmacro %}
