"""Publish the public marts of a built warehouse to the readers' warehouse, in one atomic step.

The build works in its own DuckDB file (target/segments.duckdb), which only the build may
open: DuckDB allows one writing process per file, and a reader holding it would stop the
build. Readers (BI tools, syncs, the dashboard) open the published file instead,
target/published/segments.duckdb. Publishing copies the public marts into a new file next
to it, checks that they all show one as_of, and renames the new file over the old one.
A reader that holds the old file keeps reading it, whole and unchanged, until it reopens
the path; no reader ever sees half a build or a mix of two days.

`segments build` publishes after every successful `dbt build`; run this by hand only to
publish a warehouse built otherwise.

Exit codes: 0 published, 1 the warehouse cannot be published (missing, locked, a mart
missing, marts of different days).

Example:
    segments publish --db target/segments.duckdb --published target/published/segments.duckdb
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .warehouse import BUILD_DB, PUBLISHED_DB, WarehouseError

# What readers get: the segment and feature marts, the history and the data-quality marts.
PUBLISHED_TABLES = (
    "contact_segments",
    "contact_features",
    "segment_overlaps",
    "segment_daily_sizes",
    "segment_membership_changes",
    "rejected_rows",
    "source_row_accounting",
    "load_batches",
)
# Published when the build has them: the fitted parameters exist where the predictive
# models run (DuckDB, clv_enabled; docs/predictions.md).
OPTIONAL_TABLES = ("clv_model_parameters",)
# The marts that carry an as_of_date of the build: they must all show the same one.
AS_OF_TABLES = ("contact_segments", "contact_features")


def published_as_of(published: Path) -> str | None:
    """The as_of of the warehouse readers see now, or None when nothing is published."""
    if not published.exists():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            row = con.execute("select max(as_of_date) from publication").fetchone()
    except duckdb.Error:
        return None
    return str(row[0]) if row and row[0] is not None else None


def copy_marts(build_db: Path, temporary: Path) -> tuple[str, dict[str, int]]:
    """Write the published marts into `temporary`; returns the as_of and the rows per table."""
    with duckdb.connect(str(temporary)) as con:
        try:
            con.execute(f"attach '{build_db}' as build (read_only)")
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise WarehouseError(f"the build warehouse {build_db} is in use by another process") from None
            raise WarehouseError(f"cannot open the build warehouse {build_db}: {error}") from None
        found = {
            r[0] for r in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'build' "
                "and table_schema = 'main'"
            ).fetchall()
        }  # fmt: skip
        missing = [t for t in PUBLISHED_TABLES if t not in found]
        if missing:
            raise WarehouseError(f"the build warehouse {build_db} lacks {', '.join(missing)}: nothing published")
        days = set()
        for table in AS_OF_TABLES:
            days |= {r[0] for r in con.execute(f"select distinct as_of_date from build.main.{table}").fetchall()}
        if len(days) > 1:
            shown = ", ".join(sorted(str(d) for d in days))
            raise WarehouseError(f"the marts of {build_db} show several as_of days ({shown}): nothing published")
        counts = {}
        for table in (*PUBLISHED_TABLES, *(t for t in OPTIONAL_TABLES if t in found)):
            con.execute(f"create table main.{table} as select * from build.main.{table}")
            counts[table] = con.execute(f"select count(*) from main.{table}").fetchone()[0]  # type: ignore[index]
        con.execute("detach build")
        as_of = str(next(iter(days))) if days else None
        if as_of is None:
            # An empty mart still publishes (the sync guards refuse to send it); its day is the build's.
            row = con.execute("select max(as_of_date) from segment_daily_sizes").fetchone()
            as_of = str(row[0]) if row and row[0] is not None else None
        con.execute(
            "create table publication as select cast(? as date) as as_of_date, "
            "cast(? as timestamp) as published_at, ? as build_warehouse",
            [as_of, datetime.now(UTC).replace(tzinfo=None), str(build_db)],
        )
        con.execute("checkpoint")
    return as_of or "", counts


def publish(build_db: Path, published: Path) -> tuple[str, dict[str, int]]:
    """Publish the marts of `build_db` at `published`, atomically; returns the as_of and rows per table."""
    if not build_db.exists():
        raise WarehouseError(f"no build warehouse at {build_db}: run the build first")
    published.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a publish that was killed half-way: never renamed, never read.
    for leftover in published.parent.glob(f".{published.name}.tmp-*"):
        leftover.unlink(missing_ok=True)
    temporary = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    try:
        as_of, counts = copy_marts(build_db, temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, published)
        directory = os.open(published.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return as_of, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments publish", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=BUILD_DB, help="the build warehouse (default: %(default)s)")
    parser.add_argument("--published", type=Path, default=PUBLISHED_DB, help="readers' path (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        as_of, counts = publish(args.db, args.published)
    except WarehouseError as error:
        print(f"publish: {error.args[0]}", file=sys.stderr)
        return 1
    print(f"published as of {as_of} to {args.published} ({counts['contact_segments']:,} contacts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
