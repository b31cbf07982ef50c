#!/usr/bin/env python3
"""Build the warehouse for every day of a range, so segment history covers it.

Runs the dbt project once per day from --start to --end (inclusive) with that day as
as_of: a point-in-time rebuild, each day recorded in segment_daily_sizes and
segment_membership_changes. Days already recorded are skipped, so an interrupted
backfill resumes where it stopped without duplicating anything. Days must move
forward: a day before the last recorded one is refused (see README "Segment history").

The first day is built with `dbt build` (models, seeds and every test); the others
with `dbt run`, which is enough to record a day and several times faster.

Examples:
    python scripts/backfill.py --start 2026-10-02 --end 2026-10-31
    python scripts/backfill.py --start 2026-01-01 --end 2026-03-31 --vars '{raw_data_path: data/shop}'
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a YYYY-MM-DD date, got {text!r}") from None


def recorded_days(db_path: Path) -> set[dt.date]:
    """Days already in segment_daily_sizes (empty when the warehouse or table is new)."""
    if not db_path.exists():
        return set()
    with duckdb.connect(str(db_path), read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_name = 'segment_daily_sizes'"
        ).fetchone()
        if not exists or not exists[0]:
            return set()
        return {row[0] for row in con.execute("select distinct as_of_date from segment_daily_sizes").fetchall()}


def run_dbt(command: str, as_of: dt.date, extra_vars: dict[str, object], target_path: Path | None) -> bool:
    from dbt.artifacts.schemas.run import RunExecutionResult
    from dbt.cli.main import dbtRunner

    args = [command, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), "--quiet",
            "--vars", json.dumps({**extra_vars, "as_of": as_of.isoformat()})]  # fmt: skip
    if target_path is not None:
        args += ["--target-path", str(target_path)]
    result = dbtRunner().invoke(args)
    if not result.success:
        results: Any = result.result if isinstance(result.result, RunExecutionResult) else []
        detail = result.exception or "; ".join(
            f"{r.node.name}: {r.message}" for r in results if str(r.status) in ("error", "fail")
        )
        print(f"error: dbt {command} failed for as_of {as_of}: {detail}", file=sys.stderr)
    return bool(result.success)


def backfill(start: dt.date, end: dt.date, db_path: Path, extra_vars: dict[str, object],
             target_path: Path | None = None) -> int:  # fmt: skip
    done = recorded_days(db_path)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    todo = [day for day in days if day not in done]
    if done and todo and min(todo) < max(done):
        print(f"error: {min(todo)} is before the last recorded day {max(done)}; segment history only moves "
              "forward (reset it with `dbt run-operation reset_segment_history --args '{confirm: true}'`)",
              file=sys.stderr)  # fmt: skip
        return 2
    print(f"backfill {start} .. {end}: {len(days)} days, {len(days) - len(todo)} already recorded, "
          f"{len(todo)} to build into {db_path}")  # fmt: skip
    started = time.monotonic()
    for number, day in enumerate(todo, start=1):
        day_started = time.monotonic()
        command = "build" if number == 1 else "run"
        if not run_dbt(command, day, extra_vars, target_path):
            print(f"stopped at {day}; run the same command again to resume", file=sys.stderr)
            return 1
        print(f"[{number}/{len(todo)}] {day} recorded in {time.monotonic() - day_started:.1f}s", flush=True)
    print(f"done: {len(todo)} days in {time.monotonic() - started:.1f}s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", type=parse_day, required=True, help="first as_of day, YYYY-MM-DD")
    parser.add_argument("--end", type=parse_day, required=True, help="last as_of day, YYYY-MM-DD (inclusive)")
    parser.add_argument("--vars", default="{}", help="other dbt vars as YAML, e.g. '{raw_data_path: data/shop}'")
    parser.add_argument("--target-path", type=Path, help="dbt target folder (default: dbt's own)")
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error(f"--end {args.end} is before --start {args.start}")
    try:
        extra_vars = yaml.safe_load(args.vars) or {}
    except yaml.YAMLError as exc:
        parser.error(f"--vars is not YAML: {exc}")
    if not isinstance(extra_vars, dict) or "as_of" in extra_vars:
        parser.error("--vars must be a mapping without as_of (the backfill sets it)")
    db_path = Path(os.environ.get("DBT_DUCKDB_PATH", PROJECT_DIR / "target" / "segments.duckdb"))
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    return backfill(args.start, args.end, db_path, extra_vars, args.target_path)


if __name__ == "__main__":
    sys.exit(main())
