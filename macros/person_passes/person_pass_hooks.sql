{#-
  The two hooks of a model built in passes over the persons (person_pass_where),
  set for every model in dbt_project.yml: each does nothing unless the model's
  compiled SQL reads its pass variable (the model was compiled for more than one
  pass). The DuckDB variables live on the model's connection, which runs its
  pre-hooks, its statement and its post-hooks.
  person_passes_start (pre-hook): pass 0 for the model's own statement, and
  the number of passes, recorded before the model is built (whether it is
  incremental, which person_passes asks, changes once its table exists).
-#}
{% macro person_passes_start() %}
  {%- set variable = person_pass_variable() -%}
  {%- if not execute or variable not in (sql or '') -%}
    {{ return('') }}
  {%- endif -%}
  set variable {{ variable }} = 0;
  set variable {{ variable }}_count = {{ person_passes() }}
{% endmacro %}

{#-
  person_passes_rest (post-hook): inserts the model's rows for passes 1 to
  passes - 1, each by the model's own compiled SQL with the variable moved on
  (by name: an incremental table may order its columns otherwise), one log
  line a pass.
-#}
{% macro person_passes_rest() %}
  {%- set variable = person_pass_variable() -%}
  {%- if not execute or variable not in (sql or '') -%}
    {{ return('') }}
  {%- endif -%}
  {%- set passes = run_query("select getvariable('" ~ variable ~ "_count')").columns[0].values()[0] -%}
  {%- for pass_number in range(1, passes) -%}
    {{ log(this.identifier ~ ": pass " ~ (pass_number + 1) ~ " of " ~ passes ~ " over the persons", info=true) }}
    {%- do run_query("set variable " ~ variable ~ " = " ~ pass_number) -%}
    {%- do run_query("insert into " ~ this ~ " by name " ~ sql) -%}
  {%- endfor -%}
  reset variable {{ variable }};
  reset variable {{ variable }}_count
{% endmacro %}
