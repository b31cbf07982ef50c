"""Build the warehouse for every day of a range, so segment history covers it.

Runs the dbt project once per day from --start to --end (inclusive) with that day as
as_of: a point-in-time rebuild, each day recorded in segment_daily_sizes and
segment_membership_changes. Days already recorded are skipped, so an interrupted
backfill resumes where it stopped without duplicating anything. Days must move
forward: a day before the last recorded one is refused (see README "Segment history").

The first day is built with `dbt build` (models, seeds and every test; with --no-tests,
`dbt seed` and `dbt run`); the others with `dbt run`, which is enough to record a day.
The project is parsed once: every day reuses that parse (dbt's programmatic API accepts a
parsed manifest), since only `as_of` changes and it is read when models compile, not
when the project is parsed. --every N records every Nth day of the range (history then
compares each day with the last recorded one), as `make demo` does to stay quick.
--snapshot-days records the propensity model's snapshot days of the range instead (every
propensity_snapshot_every_days-th day since 1970-01-01) and --end: the training history
of a warehouse (docs/predictions.md "Purchase propensity").

Exit codes: 0 done, 1 a day failed (run again to resume), 2 bad arguments or a day
before the last recorded one, 3 a build (or another backfill) is running.

Examples:
    segments backfill --start 2026-10-02 --end 2026-10-31
    segments backfill --start 2026-10-01 --end 2026-10-28 --every 3 --no-tests --skip-older
    segments backfill --start 2026-01-01 --end 2026-03-31 --vars '{raw_data_path: data/shop}'
    segments backfill --start 2025-11-01 --end 2026-10-31 --snapshot-days --no-tests
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

from .build import BuildBusy, build_lock
from .warehouse import BUILD_DB, PROJECT_DIR, project_vars


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


class Dbt:
    """dbt invoked in this process, the project parsed once for every day."""

    def __init__(self, extra_vars: dict[str, object], target_path: Path | None) -> None:
        self.extra_vars = extra_vars
        self.common = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR), "--quiet"]
        if target_path is not None:
            self.common += ["--target-path", str(target_path)]
        self.manifest: Any = None

    def __call__(self, command: str, as_of: dt.date, write_json: bool = True) -> bool:
        from dbt.artifacts.schemas.run import RunExecutionResult
        from dbt.cli.main import dbtRunner

        variables = ["--vars", json.dumps({**self.extra_vars, "as_of": as_of.isoformat()})]
        if self.manifest is None:
            parsed = dbtRunner().invoke(["parse", *self.common, *variables])
            if not parsed.success:
                print(f"error: dbt parse failed: {parsed.exception}", file=sys.stderr)
                return False
            self.manifest = parsed.result
        artifacts = [] if write_json else ["--no-write-json"]  # only the last day's run_results are kept
        result = dbtRunner(manifest=self.manifest).invoke([command, *self.common, *variables, *artifacts])
        if not result.success:
            results: Any = result.result if isinstance(result.result, RunExecutionResult) else []
            detail = result.exception or "; ".join(
                f"{r.node.name}: {r.message}" for r in results if str(r.status) in ("error", "fail")
            )
            print(f"error: dbt {command} failed for as_of {as_of}: {detail}", file=sys.stderr)
        return bool(result.success)


def snapshot_days(start: dt.date, end: dt.date, extra_vars: dict[str, object]) -> list[dt.date]:
    """The propensity snapshot days from start to end (a multiple of propensity_snapshot_every_days days after
    1970-01-01, the var from --vars or dbt_project.yml), then end itself."""
    step = int(str(project_vars(extra_vars)["propensity_snapshot_every_days"]))
    first = start + dt.timedelta(days=-(start - dt.date(1970, 1, 1)).days % step)
    days = [first + dt.timedelta(days=i) for i in range(0, (end - first).days + 1, step)]
    return days if days and days[-1] == end else [*days, end]


def backfill(start: dt.date, end: dt.date, db_path: Path, extra_vars: dict[str, object],
             target_path: Path | None = None, every: int = 1, tests: bool = True,
             skip_older: bool = False, snapshots: bool = False) -> int:  # fmt: skip
    done = recorded_days(db_path)
    days = snapshot_days(start, end, extra_vars) if snapshots else [
        start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, every)]  # fmt: skip
    todo = [day for day in days if day not in done]
    older = [day for day in todo if done and day < max(done)]
    if older and not skip_older:
        print(f"error: {min(todo)} is before the last recorded day {max(done)}; segment history only moves "
              "forward (reset it with `dbt run-operation reset_segment_history --args '{confirm: true}'`)",
              file=sys.stderr)  # fmt: skip
        return 2
    todo = [day for day in todo if day not in older]
    skipped = f", {len(older)} before the last recorded day {max(done)} skipped" if older else ""
    print(f"backfill {start} .. {end}: {len(days)} days, {len(days) - len(todo) - len(older)} already recorded"
          f"{skipped}, {len(todo)} to build into {db_path}")  # fmt: skip
    started = time.monotonic()
    dbt = Dbt(extra_vars, target_path)
    for number, day in enumerate(todo, start=1):
        day_started = time.monotonic()
        first = number == 1
        commands = (["build"] if tests else ["seed", "run"]) if first else ["run"]
        if not all(dbt(command, day, write_json=number == len(todo)) for command in commands):
            print(f"stopped at {day}; run the same command again to resume", file=sys.stderr)
            return 1
        print(f"[{number}/{len(todo)}] {day} recorded in {time.monotonic() - day_started:.1f}s", flush=True)
    print(f"done: {len(todo)} days in {time.monotonic() - started:.1f}s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments backfill", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--start", type=parse_day, required=True, help="first as_of day, YYYY-MM-DD")
    parser.add_argument("--end", type=parse_day, required=True, help="last as_of day, YYYY-MM-DD (inclusive)")
    parser.add_argument("--vars", default="{}", help="other dbt vars as YAML, e.g. '{raw_data_path: data/shop}'")
    parser.add_argument("--target-path", type=Path, help="dbt target folder (default: dbt's own)")
    parser.add_argument("--every", type=int, default=1, metavar="N", help="record every Nth day (default: 1)")
    parser.add_argument(
        "--snapshot-days",
        action="store_true",
        help="record the propensity snapshot days of the range and --end (instead of --every)",
    )
    parser.add_argument("--no-tests", action="store_true",
                        help="first day with dbt seed and run, not dbt build (a tested build follows)")  # fmt: skip
    parser.add_argument("--skip-older", action="store_true",
                        help="skip days before the last recorded one instead of stopping (exit 2)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error(f"--end {args.end} is before --start {args.start}")
    if args.every < 1:
        parser.error(f"--every must be 1 or more, got {args.every}")
    try:
        extra_vars = yaml.safe_load(args.vars) or {}
    except yaml.YAMLError as exc:
        parser.error(f"--vars is not YAML: {exc}")
    if not isinstance(extra_vars, dict) or "as_of" in extra_vars:
        parser.error("--vars must be a mapping without as_of (the backfill sets it)")
    db_path = BUILD_DB
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    try:
        # One writer at a time: the backfill holds the lock `segments build` takes.
        with build_lock(db_path, 0, "backfill"):
            return backfill(args.start, args.end, db_path, extra_vars, args.target_path, args.every,
                            tests=not args.no_tests, skip_older=args.skip_older,
                            snapshots=args.snapshot_days)  # fmt: skip
    except BuildBusy as busy:
        print(f"error: {busy.args[0]}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
