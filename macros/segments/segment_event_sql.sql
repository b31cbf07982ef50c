{#-
  An event condition: "did <event> at least min_count times (default 1) in the
  last within_days days (default: ever, up to as_of), where every property
  filter holds". Properties are event columns; revenue is in the reporting
  currency. Machine opens never count as email_opened.
-#}
{% macro segment_event_sql(rule, segment_name, context, path) %}
  {%- set event_types = ['email_sent', 'email_delivered', 'email_opened', 'email_clicked', 'email_bounced',
      'email_unsubscribed', 'email_spam_complaint', 'page_view', 'product_view', 'add_to_cart', 'checkout_started',
      'purchase', 'refund', 'form_submit', 'subscribe', 'referral_sent', 'review_submitted', 'web_push_sent',
      'loyalty_points_earned', 'loyalty_points_redeemed'] -%}
  {%- set properties = {'category': 'text', 'product_id': 'text', 'order_id': 'text', 'campaign_id': 'text',
      'message_id': 'text', 'currency': 'text', 'device_type': 'text', 'url': 'text', 'utm_source': 'text',
      'utm_medium': 'text', 'utm_campaign': 'text', 'bounce_type': 'text', 'quantity': 'number',
      'revenue': 'number', 'points': 'number'} -%}
  {%- for key in rule if key not in ['event', 'min_count', 'within_days', 'where'] -%}
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
  {%- set filters = ["event_type = '" ~ rule['event'] ~ "'"] -%}
  {%- if rule['event'] == 'email_opened' -%}
    {%- do filters.append('not is_machine_open') -%}
  {%- endif -%}
  {%- if within is not none -%}
    {%- do filters.append('occurred_at >= ' ~ window_start_sql(within)) -%}
  {%- endif -%}
  {%- set texts = [] -%}
  {%- set where = rule.get('where', []) -%}
  {%- if where is string or where is mapping or where is not iterable -%}
    {{ segment_error(segment_name, path ~ ".where must be a list of property conditions") }}
  {%- endif -%}
  {%- for condition in where -%}
    {%- set where_path = path ~ '.where[' ~ loop.index0 ~ ']' -%}
    {%- if condition is not mapping or condition.get('property') not in properties -%}
      {{ segment_error(segment_name, where_path ~ " needs a property, one of " ~ properties.keys() | join(', ')) }}
    {%- endif -%}
    {%- set column = 'revenue_reporting' if condition['property'] == 'revenue' else condition['property'] -%}
    {%- do filters.append(segment_condition_sql(column, properties[condition['property']], condition.get('op'),
        condition.get('value'), segment_name, where_path)) -%}
    {%- do texts.append(condition['property'] ~ ' ' ~ condition.get('op') ~ ' ' ~ tojson(condition.get('value'))) -%}
  {%- endfor -%}
  {%- set alias = 'event_match_' ~ (context.events | length + 1) -%}
  {%- do context.events.append({'alias': alias, 'sql': filters | join(' and '), 'event_type': rule['event']}) -%}
  {%- set sql = '(base.' ~ alias ~ ' >= ' ~ min_count ~ ')' -%}
  {%- do context.leaves.append({'path': path,
      'text': rule['event'] ~ ' at least ' ~ min_count ~ 'x'
        ~ (' in the last ' ~ within ~ ' days' if within is not none else ' ever')
        ~ (' where ' ~ texts | join(' and ') if texts else ''),
      'sql': sql}) -%}
  {{ return(sql) }}
{% endmacro %}
