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

Before the rename, the audit (audit.py, docs/publishing.md) compares the new marts with
the published ones and refuses a build that collapsed: contacts or sendable contacts down
by more than publish_max_drop_pct, a batch with more than publish_max_rejected_pct of its
rows rejected, or (when publish_refuse_stale) an events feed that stopped. --allow-drop
publishes anyway and records who did. Every audit, refused ones included, is kept in
<published>.audits.jsonl and published as the table publication_audits; `publication`
holds the one of the file readers have.

Exit codes: 0 published, 1 the warehouse cannot be published (missing, locked, a mart
missing, marts of different days), 4 refused by the audit (readers keep the last day).

Example:
    segments publish --db target/segments.duckdb --published target/published/segments.duckdb
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from .audit import REFUSED, Thresholds, Verdict, append_audit, judge, measure, published_measures, thresholds
from .warehouse import BUILD_DB, PUBLISHED_DB, WarehouseError, parse_vars

# What readers get: the segment and feature marts, the history, the lift and the data-quality marts.
PUBLISHED_TABLES = (
    "contact_segments",
    "contact_features",
    "contact_traits",
    "segment_overlaps",
    "segment_funnels",
    "segment_daily_sizes",
    "segment_membership_changes",
    "segment_group_changes",
    "segment_lift_cohorts",
    "segment_lift",
    "global_lift",
    "rejected_rows",
    "source_row_accounting",
    "load_batches",
)
# Published when the build has them: the fitted parameters and the propensity model's
# measures exist where the predictive models run (DuckDB, clv_enabled; docs/predictions.md).
OPTIONAL_TABLES = ("clv_model_parameters", "propensity_model_metrics")
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


class AuditRefused(WarehouseError):
    """The audit refused the build: args (message, exit code 4, verdict)."""


def audits_log(published: Path) -> Path:
    return published.with_name(f"{published.stem}.audits.jsonl")


def newest_event_at(con: duckdb.DuckDBPyConnection) -> Any:
    """The newest event the build landed, up to its as_of (events after as_of are not counted yet)."""
    try:
        row = con.execute(
            "select max(events.occurred_at) from build.main.stg_marketing__events as events where "
            "events.occurred_at < (select max(as_of_date) from build.main.contact_features) + interval 1 day"
        ).fetchone()  # fmt: skip
    except duckdb.Error:
        return None  # a host project that names its staging otherwise: no staleness measure
    return row[0] if row else None


def audit(con: duckdb.DuckDBPyConnection, published: Path, limits: Thresholds, newest: Any, allow_drop: bool,
          as_of: str | None, build_db: Path) -> Verdict:  # fmt: skip
    """Judge the marts copied into `con` against the published ones; record the audit; raise
    AuditRefused unless it passed or allow_drop. On success, writes the publication tables."""
    verdict = judge(measure(con, newest), published_measures(published), limits)
    overridden = bool(verdict.refusals) and allow_drop
    outcome = "refused" if verdict.refusals and not allow_drop else ("published with --allow-drop" if overridden
                                                                      else "published")  # fmt: skip
    now = datetime.now(UTC).replace(tzinfo=None)
    record = {"audited_at": now.isoformat(timespec="seconds"), "as_of_date": as_of, "verdict": outcome,
              "overridden_by": getpass.getuser() if overridden else None, **verdict.as_record()}  # fmt: skip
    history = append_audit(audits_log(published), record)
    if outcome == "refused":
        kept = published_as_of(published)
        still = f"readers keep the one of {kept}" if kept else "nothing is published yet"
        lines = [f"not published: {finding}" for finding in verdict.refusals]
        message = "\n".join(lines) + f"\n({still}; --allow-drop publishes anyway)"
        raise AuditRefused(message, REFUSED, verdict)
    findings = "; ".join(verdict.refusals + verdict.warnings + verdict.reports) or None
    con.execute(
        "create table publication as select cast(? as date) as as_of_date, cast(? as timestamp) as published_at, "
        "? as build_warehouse, ? as verdict, ? as overridden_by, ? as findings, ? as measures",
        [as_of, now, str(build_db), outcome, record["overridden_by"], findings, json.dumps(verdict.measures)],
    )  # fmt: skip
    con.execute("create table publication_audits (audited_at timestamp, as_of_date date, verdict varchar, "
                "overridden_by varchar, findings varchar, measures varchar)")  # fmt: skip
    con.executemany("insert into publication_audits values (?, ?, ?, ?, ?, ?)", [
        [h["audited_at"], h["as_of_date"], h["verdict"], h["overridden_by"],
         "; ".join(h["refusals"] + h["warnings"] + h["reports"]) or None, json.dumps(h["measures"])]
        for h in history
    ])  # fmt: skip
    return verdict


def copy_marts(build_db: Path, temporary: Path, published: Path, limits: Thresholds,
               allow_drop: bool) -> tuple[str, dict[str, int], Verdict]:  # fmt: skip
    """Write the published marts into `temporary` and audit them; returns the as_of, rows per table, verdict."""
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
        newest = newest_event_at(con)
        con.execute("detach build")
        as_of = str(next(iter(days))) if days else None
        if as_of is None:
            # An empty mart still publishes (the sync guards refuse to send it); its day is the build's.
            row = con.execute("select max(as_of_date) from segment_daily_sizes").fetchone()
            as_of = str(row[0]) if row and row[0] is not None else None
        verdict = audit(con, published, limits, newest, allow_drop, as_of, build_db)
        con.execute("checkpoint")
    return as_of or "", counts, verdict


def publish(build_db: Path, published: Path, limits: Thresholds | None = None,
            allow_drop: bool = False) -> tuple[str, dict[str, int], Verdict]:  # fmt: skip
    """Audit the marts of `build_db`, then publish them at `published`, atomically; returns the as_of,
    rows per table and the audit's verdict. Raises AuditRefused when the audit refuses."""
    if not build_db.exists():
        raise WarehouseError(f"no build warehouse at {build_db}: run the build first")
    published.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a publish that was killed half-way: never renamed, never read.
    for leftover in published.parent.glob(f".{published.name}.tmp-*"):
        leftover.unlink(missing_ok=True)
    temporary = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    try:
        as_of, counts, verdict = copy_marts(build_db, temporary, published, limits or thresholds(), allow_drop)
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
    return as_of, counts, verdict


def print_findings(verdict: Verdict, prog: str) -> None:
    for line in verdict.warnings:
        print(f"{prog}: warning: {line}", file=sys.stderr)
    for line in verdict.reports:
        print(f"{prog}: note: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments publish", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=BUILD_DB, help="the build warehouse (default: %(default)s)")
    parser.add_argument("--published", type=Path, default=PUBLISHED_DB, help="readers' path (default: %(default)s)")
    parser.add_argument("--allow-drop", action="store_true", help="publish even when the audit refuses; recorded")
    parser.add_argument("--vars", type=parse_vars, default={},
                        help="the audit's thresholds, as dbt vars: '{publish_max_drop_pct: 30}'")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        as_of, counts, verdict = publish(args.db, args.published, thresholds(args.vars), args.allow_drop)
    except WarehouseError as error:
        for line in str(error.args[0]).splitlines():
            print(f"publish: {line}", file=sys.stderr)
        return int(error.args[1]) if len(error.args) > 1 else 1
    print_findings(verdict, "publish")
    print(f"published as of {as_of} to {args.published} ({counts['contact_segments']:,} contacts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
