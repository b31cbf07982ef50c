{#-
  Who is in, as a history model recorded it before as_of: per `keys`, those
  whose latest change (one per day) is an entry. Read from the model itself
  (`this`), so a run that skips days compares with the last recorded day; on
  its first build nobody is, selected with the columns of `empty_from`.
  Aggregated rather than ranked with a window: the history grows by every
  day's changes, and on 77M rows this takes 1.3 s against 21 s.
-#}
{% macro recorded_members_sql(keys, empty_from) %}
  {%- if is_incremental() %}
    select
        {{ keys | join(',\n        ') }}
    from {{ this }}
    where as_of_date < {{ as_of_date_sql() }}
    group by {{ keys | join(', ') }}
    having max(case when change = 'entered' then as_of_date end) = max(as_of_date)
  {%- else %}
    select
        {{ keys | join(',\n        ') }}
    from {{ empty_from }}
    where false
  {%- endif %}
{% endmacro %}
