{#-
  Two CTEs, `rates` then `statistics`, over `relation` (a CTE with members,
  converters, reference_members and reference_converters per row): each side's
  rate with its Wilson interval, the difference's Newcombe interval, the
  relative lift's log-ratio interval and the two-proportion p-value, unrounded
  (docs/segments.md "Lift"). `z`: the interval's normal quantile.
-#}
{% macro lift_statistics_ctes(relation, z) %}
rates as (
    select
        *,
        cast(converters as {{ type_double() }}) / nullif(members, 0) as rate,
        cast(reference_converters as {{ type_double() }}) / nullif(reference_members, 0) as reference_rate,
        {{ wilson_bound('converters', 'members', z, 'lower') }} as rate_lower,
        {{ wilson_bound('converters', 'members', z, 'upper') }} as rate_upper,
        {{ wilson_bound('reference_converters', 'reference_members', z, 'lower') }} as reference_rate_lower,
        {{ wilson_bound('reference_converters', 'reference_members', z, 'upper') }} as reference_rate_upper
    from {{ relation }}
),

statistics as (
    select
        *,
        {{ newcombe_bound('rate', 'rate_lower', 'rate_upper', 'reference_rate', 'reference_rate_lower',
                          'reference_rate_upper', 'lower') }} as absolute_lift_lower,
        {{ newcombe_bound('rate', 'rate_lower', 'rate_upper', 'reference_rate', 'reference_rate_lower',
                          'reference_rate_upper', 'upper') }} as absolute_lift_upper,
        {{ ratio_bound('converters', 'members', 'reference_converters', 'reference_members', z, 'lower') }}
            as relative_lift_lower,
        {{ ratio_bound('converters', 'members', 'reference_converters', 'reference_members', z, 'upper') }}
            as relative_lift_upper,
        {{ two_proportion_p_value('converters', 'members', 'reference_converters', 'reference_members') }} as p_value
    from rates
)
{% endmacro %}
