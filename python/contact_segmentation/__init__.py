"""The contact segmentation warehouse's command: `segments` (see `segments --help`).

Each subcommand is a module of this package with a `main(argv) -> int`; the dbt project
it works on is found as dbt finds it (DBT_PROJECT_DIR, else the working folder or a parent).
"""

__version__ = "0.1.0"
