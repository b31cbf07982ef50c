"""Build the warehouse with dbt, and publish its marts for readers when every test passed.

Write, audit, publish: `dbt build` works in the build's own warehouse (DBT_DUCKDB_PATH,
default target/segments.duckdb) and runs every dbt test; only when it succeeds are the
public marts published to the readers' warehouse (SEGMENTS_PUBLISHED_PATH, default
target/published/segments.duckdb) in one atomic step (`segments publish`). A build that
fails publishes nothing and says so; readers keep the last published day.

Readers never block the build (they open the published file, never the build's), and one
build runs at a time: a second one waits up to --wait seconds for the first, then stops
with a message naming it.

After the build, `dbt source freshness` says whether the events are older than their
freshness limits (a line, never a stop). Between build
and publication, the publish audit (`segments publish --help`, docs/publishing.md) refuses
a build that collapsed (an emptied contacts file, a batch mostly rejected): exit 4, one
line per finding, readers keep the last day; --allow-drop publishes anyway, recorded.

Exit codes: 0 built and published, 1 the build failed (nothing published), 2 bad
arguments, 3 another build is running, 4 refused by the publish audit.

Examples:
    segments build --as-of 2026-10-31
    segments build --vars '{raw_data_path: data/shop}' --wait 600
    segments build --full-refresh
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from .audit import thresholds
from .publish import print_findings, publish, published_as_of
from .warehouse import BUILD_DB, PROJECT_DIR, PUBLISHED_DB, WarehouseError, dbt_executable, parse_vars


class BuildBusy(Exception):
    """Another build holds the lock; args[0] says which."""


@contextmanager
def build_lock(build_db: Path, wait_seconds: float, holder: str = "build") -> Iterator[None]:
    """Hold the one-build-at-a-time lock of `build_db` (<file>.build-lock beside it); waits up to
    `wait_seconds` for the build that holds it.

    Whatever writes or reads the build's warehouse holds it (a build, a backfill, a preview
    reading events); `holder` says which in the message of whoever finds it taken."""
    lock_path = build_db.with_name(build_db.name + ".build-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = lock_path.open("a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    taken_by = handle.read().strip() or "an unknown process"
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds else ""
                    raise BuildBusy(f"another build is running ({taken_by}); not started{waited}") from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{holder}, pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        yield
    finally:
        handle.close()


def dbt_command(args: argparse.Namespace) -> list[str]:
    """The dbt build to run. --as-of reaches dbt as SEGMENTS_AS_OF (set by main), not as a var: a
    changed --vars makes dbt re-parse the whole project, the environment variable does not."""
    command = [dbt_executable(), "build", "--project-dir", str(PROJECT_DIR)]
    if args.vars:
        command += ["--vars", json.dumps(args.vars)]
    if args.full_refresh:
        command.append("--full-refresh")
    return command


def check_freshness(args: argparse.Namespace, target_path: Path) -> None:
    """dbt source freshness, after a build: one line per landing table older than its warn_after. It
    informs and never stops the build (the publish audit judges the day's data against as_of)."""
    output = target_path / "sources.json"
    command = [dbt_executable(), "source", "freshness", "--project-dir", str(PROJECT_DIR), "--quiet", "-o", str(output)]
    if args.vars:
        command += ["--vars", json.dumps(args.vars)]
    subprocess.run(command, cwd=PROJECT_DIR, check=False, capture_output=True)
    try:
        results = json.loads(output.read_text())["results"]
    except (OSError, ValueError, KeyError):
        print("build: warning: dbt source freshness gave no results", file=sys.stderr)
        return
    for result in results:
        source = result["unique_id"].split(".", 2)[-1]
        if result["status"] in ("warn", "error"):
            days = float(result.get("max_loaded_at_time_ago_in_s") or 0) / 86400
            limit, newest = result["criteria"][f"{result['status']}_after"], result["max_loaded_at"][:16]
            print(f"build: source freshness: {source} is {days:.1f} days old (newest {newest}), past its "
                  f"{result['status']}_after of {limit['count']} {limit['period']}s", file=sys.stderr)  # fmt: skip
        elif result["status"] == "runtime error":
            print(f"build: source freshness: {source} could not be measured", file=sys.stderr)


def parse_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--as-of", type=parse_date,
                        help="the day to compute as of, passed as SEGMENTS_AS_OF so that dbt does not re-parse "
                             "(default: the as_of var, else SEGMENTS_AS_OF, else today in UTC)")  # fmt: skip
    parser.add_argument("--vars", type=parse_vars, default={}, help="more dbt vars, as for dbt --vars")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental models (not history)")
    parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                        help="wait this long for a running build before giving up (default: 0)")  # fmt: skip
    parser.add_argument("--published", type=Path, default=PUBLISHED_DB, help="readers' path (default: %(default)s)")
    parser.add_argument("--allow-drop", action="store_true",
                        help="publish even when the publish audit refuses; recorded in publication")  # fmt: skip
    args = parser.parse_args(argv)
    if args.as_of and "as_of" in args.vars:
        parser.error("give the day once: --as-of or the as_of var, not both")
    if args.as_of:
        os.environ["SEGMENTS_AS_OF"] = args.as_of
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    build_db = BUILD_DB.resolve()
    os.environ["DBT_DUCKDB_PATH"] = str(build_db)
    target = os.environ.get("DBT_TARGET", "duckdb")
    if target != "duckdb":
        # A server warehouse has transactions and many readers: its own tables are what readers read.
        print(f"build: publishing is for DuckDB files; on {target} readers read the marts in place")
        return 0 if subprocess.run(dbt_command(args), cwd=PROJECT_DIR, check=False).returncode == 0 else 1
    try:
        with build_lock(build_db, args.wait):
            started = time.monotonic()
            if subprocess.run(dbt_command(args), cwd=PROJECT_DIR, check=False).returncode != 0:
                kept = published_as_of(args.published)
                still = f"readers keep the one of {kept}" if kept else "there is none yet"
                print(f"build: dbt build failed: nothing published ({still})", file=sys.stderr)
                return 1
            target_path = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
            check_freshness(args, target_path)
            as_of, counts, verdict = publish(build_db, args.published, thresholds(args.vars), args.allow_drop)
    except BuildBusy as busy:
        print(f"build: {busy.args[0]}", file=sys.stderr)
        return 3
    except WarehouseError as error:
        for line in str(error.args[0]).splitlines():
            print(f"build: {line}", file=sys.stderr)
        return int(error.args[1]) if len(error.args) > 1 else 1
    print_findings(verdict, "build")
    seconds = time.monotonic() - started
    contacts = counts["contact_segments"]
    print(f"build: published as of {as_of} to {args.published} ({contacts:,} contacts, {seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
