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
  filename and batch_checksum. `files` is a list of {name, size}: the files'
  names as the listing gives them, and their sizes in bytes.
-#}
{% macro file_checksums_sql(pattern, files) %}
  {{- return(adapter.dispatch('file_checksums_sql', 'contact_segmentation')(pattern, files)) -}}
{% endmacro %}

{#-
  DuckDB's read_blob holds the contents of every file of one read in memory at
  once (up to 2,048 files a chunk), outside its memory_limit: the files are read
  in groups of at most `checksum_bytes_per_read` bytes, a larger file alone.
-#}
{% macro default__file_checksums_sql(pattern, files) %}
  {%- set limit = var('checksum_bytes_per_read') | int -%}
  {%- set groups = [[]] -%}
  {%- set held = namespace(bytes=0) -%}
  {%- for file in files -%}
    {%- if groups[-1] and held.bytes + (file.size or 0) > limit -%}
      {%- do groups.append([]) -%}
      {%- set held.bytes = 0 -%}
    {%- endif -%}
    {%- do groups[-1].append(file_literal(file.name)) -%}
    {%- set held.bytes = held.bytes + (file.size or 0) -%}
  {%- endfor -%}
  {%- set reads = [] -%}
  {%- for group in groups -%}
    {%- do reads.append("select filename, md5(content) as batch_checksum from read_blob([" ~ group | join(', ')
        ~ "])") -%}
  {%- endfor -%}
  {{- return(reads | join(' union all ')) -}}
{% endmacro %}

{#- Many files: one scan of the listing (it reads every file's contents); a few: each file alone. -#}
{% macro spark__file_checksums_sql(pattern, files) %}
  {%- set names = files | map(attribute='name') | list -%}
  {%- if names | length > 20 -%}
    {{- return("select path as filename, md5(content) as batch_checksum from raw_files._files where path in ('"
        ~ names | join("', '") ~ "')") -}}
  {%- endif -%}
  {%- set parts = [] -%}
  {%- for file in names -%}
    {%- do parts.append("select '" ~ file ~ "' as filename, md5(content) as batch_checksum from binaryFile.`"
        ~ file ~ "`") -%}
  {%- endfor -%}
  {{- return(parts | join(' union all ')) -}}
{% endmacro %}
