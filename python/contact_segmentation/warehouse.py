"""The project the command works on, its two warehouse files, and opening them with errors a user can act on.

Two files: the build's own warehouse (DBT_DUCKDB_PATH, target/segments.duckdb), which only
the build opens, and the published one readers open (SEGMENTS_PUBLISHED_PATH,
target/published/segments.duckdb), replaced in one step after each successful build
(`segments publish`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb


def find_project_dir(start: Path | None = None) -> Path:
    """The dbt project the command works on, found as dbt finds it: DBT_PROJECT_DIR when set, else the
    nearest folder from the working directory up that holds a dbt_project.yml, else the working directory
    (a command that needs the project then says that it is missing)."""
    if os.environ.get("DBT_PROJECT_DIR"):
        return Path(os.environ["DBT_PROJECT_DIR"]).resolve()
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / "dbt_project.yml").exists()), here)


PROJECT_DIR = find_project_dir()
BUILD_DB = Path(os.environ.get("DBT_DUCKDB_PATH", PROJECT_DIR / "target" / "segments.duckdb"))
PUBLISHED_DB = Path(os.environ.get("SEGMENTS_PUBLISHED_PATH", PROJECT_DIR / "target" / "published" / "segments.duckdb"))
# What the readers' scripts (export, report, summary) open unless told otherwise.
DEFAULT_DB = PUBLISHED_DB


def dbt_executable() -> str:
    """The dbt of this Python's environment (.venv), else the one on PATH."""
    dbt = Path(sys.executable).with_name("dbt")
    return str(dbt) if dbt.exists() else "dbt"


class WarehouseError(Exception):
    """A failure the user can act on; the scripts print it without a traceback."""


def open_warehouse(db: Path, tables: Sequence[str]) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `db`, which must hold every table in `tables`."""
    if not db.exists():
        raise WarehouseError(f"no warehouse at {db}: build and publish it first (`make demo` or `segments build`)")
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseError(
                f"the warehouse {db} is locked by another process (a dbt run?); read the published one, "
                f"{PUBLISHED_DB}, which no build locks"
            ) from None
        raise WarehouseError(f"cannot open the warehouse {db}: {error}") from None
    found = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    missing = [t for t in tables if t not in found]
    if missing:
        con.close()
        raise WarehouseError(f"the warehouse {db} lacks {', '.join(missing)}: run `dbt build` first")
    return con


def segment_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The mart's seg_<name> columns in order, holdout flags and split groups (text) left out."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = 'contact_segments' "
        "and column_name like 'seg\\_%' escape '\\' and data_type = 'BOOLEAN' order by ordinal_position"
    ).fetchall()
    return [r[0] for r in rows if not r[0].endswith("_holdout")]


def split_columns(con: duckdb.DuckDBPyConnection, segments: Sequence[str]) -> list[str]:
    """The seg_<name>_split columns (each member's A/B group) of those of `segments` that declare splits."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = 'contact_segments' "
        "and column_name like 'seg\\_%\\_split' escape '\\'"
    ).fetchall()
    present = {r[0] for r in rows}
    return [f"seg_{s}_split" for s in segments if f"seg_{s}_split" in present]


def write_atomically(path: Path, write: Callable[[Path], object], private: bool = False) -> None:
    """Write through a temporary file in the same folder, then rename over `path`: never half a file.

    private: the file holds personal data, readable and writable by its owner only (0600).
    """
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if private:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            os.chmod(temporary, 0o600)
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise WarehouseError(f"cannot write {path}: {error.strerror or error}") from None


def parse_vars(text: str) -> dict:
    """A --vars argument, read as dbt reads it (YAML); for argparse's type=."""
    import yaml  # dbt's own --vars syntax is YAML

    try:
        value = yaml.safe_load(text) if text else {}
    except yaml.YAMLError as error:
        raise argparse.ArgumentTypeError(f"--vars is not YAML: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("--vars must be a mapping, e.g. '{raw_data_path: data/shop}'")
    return value


def project_vars(overrides: dict[str, Any] | None = None, project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The project's vars as dbt resolves them: its defaults (dbt_project.yml), then `overrides` (--vars).
    Without a readable dbt_project.yml, the overrides alone."""
    import yaml

    try:
        project = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    except OSError:
        project = {}
    return {**(project.get("vars", {}).get(project.get("name", ""), {}) or {}), **(overrides or {})}
