{#-
  For every window of the engagement_windows var: the delivered, opened and
  clicked counts are present and never negative, and a wider window never counts
  fewer messages than a narrower one. Written against the var, so it holds
  whatever windows a user configures.
-#}
{% test engagement_window_counts_are_consistent(model) %}
{%- set windows = var('engagement_windows') | sort %}
{%- set checks = [] %}
{%- for days in windows %}
    {%- for kind in ['emails_delivered', 'emails_opened', 'emails_clicked'] %}
        {%- do checks.append(kind ~ '_' ~ days ~ 'd is null or ' ~ kind ~ '_' ~ days ~ 'd < 0') %}
        {%- if days != windows[0] %}
            {%- set narrower = windows[windows.index(days) - 1] %}
            {%- do checks.append(kind ~ '_' ~ days ~ 'd < ' ~ kind ~ '_' ~ narrower ~ 'd') %}
        {%- endif %}
    {%- endfor %}
{%- endfor %}
select *
from {{ model }}
where {{ checks | join('\n    or ') }}
{% endtest %}
