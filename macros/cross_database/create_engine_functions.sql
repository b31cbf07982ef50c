{#-
  Helper functions some engines need before any model runs (on-run-start).
  PostgreSQL 15 has no try_cast: these return null where a cast would fail, and
  parse timestamps in UTC whatever the session's time zone is.
-#}
{% macro create_engine_functions() %}
  {{ return(adapter.dispatch('create_engine_functions', 'contact_segmentation')()) }}
{% endmacro %}

{% macro default__create_engine_functions() %}
  {{ return('') }}
{% endmacro %}

{% macro postgres__create_engine_functions() %}
  {% set schema = target.schema %}
  {% set casts = {'integer': 'integer', 'numeric': 'numeric', 'date': 'date', 'timestamptz': 'timestamptz'} %}
  create schema if not exists {{ schema }};
  {% for name, type in casts.items() %}
  create or replace function {{ schema }}.try_cast_{{ name }}(value text) returns {{ type }}
  language plpgsql immutable set timezone = 'UTC' as $$
  begin
    return value::{{ type }};
  exception when others then
    return null;
  end $$;
  {% endfor %}
{% endmacro %}
