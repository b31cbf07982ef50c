{#-
  A segment's A/B splits, checked (docs/segments.md "Splits"): `splits` is
  none, or a mapping of at least two group names (snake_case, not holdout or
  treatment, which name the lift's other groups) to shares that are positive
  numbers summing to 100. Returns the groups in declared order, each with the
  upper end (exclusive) of its range of stable buckets 0..9999, or none.
  `segment_name`: for the error message.
-#}
{% macro segment_splits(segment_name, splits) %}
  {%- if splits is none -%}
    {{ return(none) }}
  {%- endif -%}
  {%- if splits is not mapping or splits | length < 2 -%}
    {{ segment_error(segment_name, "splits must map two or more group names to shares, e.g. {a: 50, b: 50}") }}
  {%- endif -%}
  {%- set groups = [] -%}
  {%- set state = {'total': 0} -%}
  {%- for group, share in splits.items() -%}
    {%- if group is not string or not modules.re.match('^[a-z][a-z0-9_]*$', group)
        or group in ['holdout', 'treatment'] -%}
      {{ segment_error(segment_name, "split group '" ~ group ~ "' must be snake_case and not holdout or treatment") }}
    {%- endif -%}
    {%- if share is not number or share is sameas true or share is sameas false or share <= 0 -%}
      {{ segment_error(segment_name, "split group '" ~ group ~ "' needs a share above 0, got " ~ share) }}
    {%- endif -%}
    {%- do state.update({'total': state.total + share}) -%}
    {%- do groups.append({'name': group, 'share': share,
                          'upper_bucket': (state.total * 100) | round | int}) -%}
  {%- endfor -%}
  {%- if (state.total - 100) | abs > 0.000001 -%}
    {{ segment_error(segment_name, "split shares must sum to 100, not " ~ state.total) }}
  {%- endif -%}
  {{ return(groups) }}
{% endmacro %}
