{#-
  SQL listing the files of one landing table's layout (`pattern`, as recorded in
  raw_files._landing: a file, or folder/**/*.csv): filename (as the engine names
  it in the rows' _file), size in bytes and last_modified. DuckDB globs the
  folder; Spark reads the listing register_raw_files made.
-#}
{% macro landed_files_sql(pattern) %}
  {{- return(adapter.dispatch('landed_files_sql', 'contact_segmentation')(pattern)) -}}
{% endmacro %}

{% macro default__landed_files_sql(pattern) %}
  {{- return("select filename, size, cast(last_modified as timestamp) as last_modified from read_blob('"
      ~ pattern ~ "')") -}}
{% endmacro %}

{% macro spark__landed_files_sql(pattern) %}
  {%- if '/**/*.' in pattern -%}
    {%- set folder, extension = pattern.split('/**/*.') -%}
    {%- set match = "startswith(path, '" ~ folder ~ "/') and lower(path) like '%." ~ extension ~ "'" -%}
  {%- else -%}
    {%- set match = "path = '" ~ pattern ~ "'" -%}
  {%- endif -%}
  {{- return("select path as filename, length as size, modificationTime as last_modified from raw_files._listing"
      ~ " where " ~ match) -}}
{% endmacro %}

{#-
  SQL of the MD5 checksum of some files of a layout `pattern`, as columns
  filename and batch_checksum: on DuckDB `files` is a relation whose batch_value
  names them; on Spark a list of their names.
-#}
{% macro file_checksums_sql(pattern, files) %}
  {{- return(adapter.dispatch('file_checksums_sql', 'contact_segmentation')(pattern, files)) -}}
{% endmacro %}

{% macro default__file_checksums_sql(pattern, files) %}
  {{- return("select filename, md5(content) as batch_checksum from read_blob('" ~ pattern ~ "') where filename in"
      ~ " (select batch_value from " ~ files ~ ")") -}}
{% endmacro %}

{#- Many files: one scan of the listing (it reads every file's contents); a few: each file alone. -#}
{% macro spark__file_checksums_sql(pattern, files) %}
  {%- if files | length > 20 -%}
    {{- return("select path as filename, md5(content) as batch_checksum from raw_files._files where path in ('"
        ~ files | join("', '") ~ "')") -}}
  {%- endif -%}
  {%- set parts = [] -%}
  {%- for file in files -%}
    {%- do parts.append("select '" ~ file ~ "' as filename, md5(content) as batch_checksum from binaryFile.`"
        ~ file ~ "`") -%}
  {%- endfor -%}
  {{- return(parts | join(' union all ')) -}}
{% endmacro %}
