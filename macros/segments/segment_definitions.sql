{#-
  The segments declared in the meta of contact_segments (models/marts/segments/
  _segments__models.yml), or of the host project's model named by the
  segment_file_model var (README "Using the models as a dbt package"),
  validated: a list of entries with a unique snake_case name, an owner, a rule,
  and optionally email_audience (default true), priority, holdout_pct, splits
  (segment_splits) and lift_goal (what a holdout or splits measure). Each needs
  its own seg_<name> contract column, with the segment's description, in the
  same order as the list, then seg_<name>_holdout when it has a holdout and
  seg_<name>_split when it has splits. The list and the contract cannot drift
  apart: any mismatch stops compilation here.
-#}
{% macro segment_definitions() %}
  {#- The graph is only filled in once dbt executes; parsing needs no segments. -#}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set holder = var('segment_file_model') -%}
  {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
      | selectattr('name', 'equalto', holder) | list -%}
  {%- if not nodes -%}
    {{ exceptions.raise_compiler_error("the " ~ holder ~ " model, which holds the segment file, is missing") }}
  {%- endif -%}
  {%- set node = nodes[0] -%}
  {%- set entries = node.config.meta.get('segments') or [] -%}
  {%- set allowed = ['name', 'owner', 'email_audience', 'priority', 'holdout_pct', 'splits', 'lift_goal', 'rule'] -%}
  {%- set segments = [] -%}
  {%- set names = [] -%}
  {%- for entry in entries -%}
    {%- set label = entry.get('name', '#' ~ loop.index) if entry is mapping else '#' ~ loop.index -%}
    {%- if entry is not mapping -%}
      {{ segment_error(label, "each segment must be a mapping with name, owner and rule") }}
    {%- endif -%}
    {%- set name = entry.get('name') -%}
    {%- if name is not string or not modules.re.match('^[a-z][a-z0-9_]*$', name) -%}
      {{ segment_error(label, "the name must be snake_case (lower-case letters, digits, _; a letter first)") }}
    {%- endif -%}
    {%- if name in names -%}
      {{ segment_error(name, "the name is declared twice") }}
    {%- endif -%}
    {%- do names.append(name) -%}
    {%- for key in entry -%}
      {%- if key not in allowed -%}
        {{ segment_error(name, "unknown key '" ~ key ~ "'; a segment takes " ~ allowed | join(', ')) }}
      {%- endif -%}
    {%- endfor -%}
    {%- if entry.get('owner') is not string or not entry.get('owner') -%}
      {{ segment_error(name, "needs an owner") }}
    {%- endif -%}
    {%- if entry.get('rule') is not mapping -%}
      {{ segment_error(name, "needs a rule") }}
    {%- endif -%}
    {%- set email_audience = entry.get('email_audience', true) -%}
    {%- if email_audience is not sameas true and email_audience is not sameas false -%}
      {{ segment_error(name, "email_audience must be true or false") }}
    {%- endif -%}
    {%- set priority = entry.get('priority') -%}
    {%- if priority is not none and (priority is not number or priority is sameas true or priority is sameas false
                                     or priority != priority | int) -%}
      {{ segment_error(name, "priority must be a whole number") }}
    {%- endif -%}
    {%- set holdout = entry.get('holdout_pct') -%}
    {%- if holdout is not none and (holdout is not number or holdout is sameas true or holdout is sameas false
                                    or holdout <= 0 or holdout >= 100) -%}
      {{ segment_error(name, "holdout_pct must be a number between 0 and 100 (exclusive)") }}
    {%- endif -%}
    {%- set lift_goal = entry.get('lift_goal') -%}
    {%- if lift_goal is not none and lift_goal not in lift_goal_choices() -%}
      {{ segment_error(name, "lift_goal must be purchase or an event type, not " ~ lift_goal) }}
    {%- endif -%}
    {%- if lift_goal is not none and holdout is none and not entry.get('splits') -%}
      {{ segment_error(name, "lift_goal needs a holdout_pct or splits to measure") }}
    {%- endif -%}
    {%- set column = node.columns.get('seg_' ~ name) -%}
    {%- if column is none -%}
      {{ segment_error(name, "has no contract column: add `- name: seg_" ~ name
          ~ "` with data_type boolean and its description to the columns") }}
    {%- endif -%}
    {%- if not (column.description or '') | trim -%}
      {{ segment_error(name, "its column seg_" ~ name ~ " needs a description (the segment's purpose)") }}
    {%- endif -%}
    {%- do segments.append({
        'name': name,
        'description': column.description | trim,
        'owner': entry['owner'],
        'email_audience': email_audience,
        'priority': priority,
        'holdout_pct': holdout,
        'splits': segment_splits(name, entry.get('splits')),
        'lift_goal': lift_goal,
        'rule': entry['rule'],
    }) -%}
  {%- endfor -%}

  {#- The seg_ contract columns must be exactly the segments, in order. -#}
  {%- set expected = segment_columns(segments) -%}
  {%- set declared = [] -%}
  {%- for column in node.columns -%}
    {%- if column.startswith('seg_') -%}
      {%- do declared.append(column) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for column in declared -%}
    {%- if column not in expected -%}
      {{ segment_error(column[4:], "column " ~ column ~ " is declared but no segment (or holdout) defines it") }}
    {%- endif -%}
  {%- endfor -%}
  {%- for column in expected -%}
    {%- if column not in declared -%}
      {{ segment_error(modules.re.sub('_(holdout|split)$', '', column[4:]), "add the contract column " ~ column
          ~ " (data_type " ~ ('varchar' if column.endswith('_split') else 'boolean') ~ ")") }}
    {%- elif declared.index(column) != loop.index0 -%}
      {{ segment_error(modules.re.sub('_(holdout|split)$', '', column[4:]), "column " ~ column
          ~ " is out of order: declare seg_ columns in the order of the segments list") }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(segments) }}
{% endmacro %}
