{#-
  An event condition: "did <event> at least min_count times (default 1) in the
  last within_days days (default: ever, up to as_of), or between between_days
  [m, n] days before as_of (m <= days_since <= n - 1), where every property
  filter holds" (docs/segments.md). Returns {sql, leaves, events} as
  segment_rule_sql does. Properties are event columns; revenue is in the reporting
  currency. Machine opens never count as email_opened.
-#}
{% macro segment_event_sql(rule, segment_name, path) %}
  {%- set event_types = var('event_types') -%}
  {%- set properties = segment_event_properties() -%}
  {%- for key in rule if key not in ['event', 'min_count', 'within_days', 'between_days', 'where'] -%}
    {{ segment_error(segment_name, path ~ " has unknown key '" ~ key ~ "'") }}
  {%- endfor -%}
  {%- if rule['event'] not in event_types -%}
    {{ segment_error(segment_name, path ~ " uses unknown event type '" ~ rule['event'] ~ "'") }}
  {%- endif -%}
  {%- set min_count = rule.get('min_count', 1) -%}
  {%- if min_count is not number or min_count is sameas true or min_count < 1 or min_count != min_count | int -%}
    {{ segment_error(segment_name, path ~ ".min_count must be a whole number of at least 1") }}
  {%- endif -%}
  {%- set within = rule.get('within_days') -%}
  {%- if within is not none and (within is not number or within is sameas true or within < 1
                                 or within != within | int) -%}
    {{ segment_error(segment_name, path ~ ".within_days must be a whole number of at least 1") }}
  {%- endif -%}
  {%- set between = rule.get('between_days') -%}
  {%- if between is not none -%}
    {%- if within is not none -%}
      {{ segment_error(segment_name, path ~ " has both within_days and between_days; keep one") }}
    {%- endif -%}
    {%- set bounds_ok = between is iterable and between is not string and between is not mapping
        and between | length == 2 -%}
    {%- for bound in (between if bounds_ok else []) -%}
      {%- if bound is not number or bound is sameas true or bound is sameas false or bound != bound | int
          or bound < 0 -%}
        {{ segment_error(segment_name, path ~ ".between_days must be [m, n], whole numbers with 0 <= m < n") }}
      {%- endif -%}
    {%- endfor -%}
    {%- if not bounds_ok or between[0] >= between[1] -%}
      {{ segment_error(segment_name, path ~ ".between_days must be [m, n], whole numbers with 0 <= m < n") }}
    {%- endif -%}
  {%- endif -%}
  {%- set filters = ["event_type = '" ~ rule['event'] ~ "'"] -%}
  {%- if rule['event'] == 'email_opened' -%}
    {%- do filters.append('not is_machine_open') -%}
  {%- endif -%}
  {%- if within is not none -%}
    {%- do filters.append('occurred_at >= ' ~ window_start_sql(within)) -%}
  {%- elif between is not none -%}
    {%- do filters.append('occurred_at >= ' ~ window_start_sql(between[1])) -%}
    {%- do filters.append('occurred_at < ' ~ window_start_sql(between[0])) -%}
  {%- endif -%}
  {%- set texts = [] -%}
  {%- set where = rule.get('where', []) -%}
  {%- if where is string or where is mapping or where is not iterable -%}
    {{ segment_error(segment_name, path ~ ".where must be a list of property conditions") }}
  {%- endif -%}
  {%- for condition in where -%}
    {%- set where_path = path ~ '.where[' ~ loop.index0 ~ ']' -%}
    {%- if condition is not mapping or (execute and condition.get('property') not in properties) -%}
      {{ segment_error(segment_name, where_path ~ " needs a property, one of " ~ properties.keys() | join(', ')) }}
    {%- endif -%}
    {%- set column = 'revenue_reporting' if condition['property'] == 'revenue' else condition['property'] -%}
    {%- do filters.append(segment_condition_sql(column, properties.get(condition['property'], 'text'), condition.get('op'),
        condition.get('value'), segment_name, where_path)) -%}
    {%- do texts.append(condition['property'] ~ ' ' ~ condition.get('op') ~ ' ' ~ tojson(condition.get('value'))) -%}
  {%- endfor -%}
  {#- Named after what it counts: the same condition in two segments is counted once. -#}
  {%- set alias = 'event_match_' ~ local_md5(filters | join(' and '))[:12] -%}
  {%- set sql = '(base.' ~ alias ~ ' >= ' ~ min_count ~ ')' -%}
  {%- set leaf = {'path': path,
      'text': rule['event'] ~ ' at least ' ~ min_count ~ 'x'
        ~ (' in the last ' ~ within ~ ' days' if within is not none
           else ' between ' ~ between[0] ~ ' and ' ~ between[1] ~ ' days ago' if between is not none else ' ever')
        ~ (' where ' ~ texts | join(' and ') if texts else ''),
      'sql': sql} -%}
  {{ return({'sql': sql, 'leaves': [leaf],
             'events': [{'alias': alias, 'sql': filters | join(' and '), 'event_type': rule['event']}]}) }}
{% endmacro %}
