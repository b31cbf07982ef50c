{#-
  Each recorded day's members = the previous recorded day's members + entered -
  exited - erased, and no count is negative. (On the first recorded day every
  member entered and nobody exited or was erased.)
-#}
{% test segment_sizes_add_up(model) %}
with

sizes as (
    select
        *,
        lag(members) over (partition by segment order by as_of_date) as previous_members
    from {{ model }}
)

select *
from sizes
where
    members != coalesce(previous_members, 0) + entered - exited - erased
    or least(members, entered, exited, erased) < 0
    or (previous_members is null and (exited != 0 or erased != 0))
{% endtest %}
