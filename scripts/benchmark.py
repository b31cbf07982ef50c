#!/usr/bin/env python3
"""Benchmark the daily segmentation run at a given scale on DuckDB.

Phases, each run as its own dbt process so that its wall time and peak RSS are its own:

  generate     scripts/generate_data.py writes the raw tables as Parquet (skipped with
               --reuse when the folder already holds data of the same shape);
  full         a fresh warehouse built from every event up to the day before the
               last (`dbt build` without tests: seeds, models, snapshot);
  incremental  the last day's events land and the next day is run (`dbt run`), the
               daily job: base_marketing__events judges only the new rows;
  test         `dbt test` on the result (skip with --skip-tests).

For each phase it prints the data size, wall time and peak RSS, the slowest models
from dbt's run_results.json, and the incremental/full ratio; everything is also
written as JSON (--json).

Examples:
    python scripts/benchmark.py                                  # 1M contacts, ~50M events
    python scripts/benchmark.py --contacts 10000 --days 60 --data target/bench/10k
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from generate_data import TABLES as RAW_TABLES

PROJECT_DIR = Path(__file__).resolve().parents[1]
END_DATE = dt.date(2026, 10, 31)


@dataclass
class Phase:
    name: str
    command: str
    wall_s: float
    peak_rss_gib: float
    models: list[dict[str, Any]] = field(default_factory=list)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_measured(name: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command to completion; its wall seconds and peak RSS in GiB (its own, children included)."""
    log(f"[{name}] {' '.join(args)}")
    started = time.monotonic()
    process = subprocess.Popen(args, cwd=PROJECT_DIR, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark: phase {name!r} failed (exit {process.returncode}); see the output above")
    return wall, usage.ru_maxrss / 1024**2  # ru_maxrss is in KiB on Linux


def model_timings(target: Path, top: int) -> list[dict[str, Any]]:
    """The slowest nodes of the last dbt invocation, from run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    rows = [
        {"node": r["unique_id"].split(".", 2)[-1], "seconds": round(r["execution_time"], 2), "status": r["status"]}
        for r in results
    ]
    return sorted(rows, key=lambda r: -r["seconds"])[:top]


def data_shape(folder: Path) -> dict[str, Any]:
    """Rows per raw table and bytes on disk."""
    with duckdb.connect() as con:
        rows = {
            t: con.execute(f"select count(*) from read_parquet('{folder / (t + '.parquet')}')").fetchone()[0]  # type: ignore[index]
            for t in RAW_TABLES
        }
    size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    return {"rows": rows, "parquet_bytes": size}


def generate(args: argparse.Namespace) -> float | None:
    manifest = args.data / "benchmark.json"
    wanted = {"contacts": args.contacts, "days": args.days, "activity": args.activity, "end_date": str(END_DATE)}
    if args.reuse and manifest.exists() and json.loads(manifest.read_text()) == wanted:
        log(f"[generate] reusing {args.data}")
        return None
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "scripts/generate_data.py", "--contacts", str(args.contacts), "--days", str(args.days),
         "--activity", str(args.activity), "--end-date", str(END_DATE), "--format", "parquet", "--out", str(args.data)],
        cwd=PROJECT_DIR, check=True,
    )  # fmt: skip
    manifest.write_text(json.dumps(wanted))
    return time.monotonic() - started


def split_last_day(data: Path, before: Path, events: int) -> int:
    """Copy the raw tables to `before`, holding back the events of the last day; rows held back."""
    before.mkdir(parents=True, exist_ok=True)
    for table in RAW_TABLES:
        target = before / f"{table}.parquet"
        target.unlink(missing_ok=True)
        if table != "events":
            target.symlink_to((data / f"{table}.parquet").resolve())
    last_day = END_DATE.isoformat()
    with duckdb.connect() as con:
        copied = con.execute(
            f"copy (select * from read_parquet('{data / 'events.parquet'}') "
            f"where coalesce(occurred_at, '') not like '{last_day}%') "
            f"to '{before / 'events.parquet'}' (format parquet, compression zstd)"
        ).fetchone()
    # COPY reports the rows it wrote, so the events are not read a second time.
    return events - int(copied[0]) if copied else 0


def dbt(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(PROJECT_DIR),
            "--profiles-dir", str(PROJECT_DIR)]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts (default: %(default)s)")
    parser.add_argument("--days", type=int, default=365, help="days of event history (default: %(default)s)")
    parser.add_argument(
        "--activity", type=float, default=1.6, help="site sessions multiplier; 1.6 gives ~50 events per contact-year"
    )
    parser.add_argument("--data", type=Path, default=None, help="raw data folder (default: data/bench-<contacts>)")
    parser.add_argument("--reuse", action="store_true", help="reuse data already generated with the same options")
    parser.add_argument("--skip-tests", action="store_true", help="leave out the dbt test phase")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="dbt threads (default: cores)")
    parser.add_argument(
        "--memory-limit", default="3GB", help="DuckDB memory_limit for the dbt runs (default: %(default)s)"
    )
    parser.add_argument("--top", type=int, default=8, help="slowest models listed per phase (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=None, help="warehouse folder (default: target/benchmark/<data>)")
    parser.add_argument("--json", type=Path, default=None, help="results file (default: <work>.json)")
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.days < 2:
        parser.error("--contacts must be at least 1 and --days at least 2")
    args.data = (args.data or PROJECT_DIR / "data" / f"bench-{args.contacts}").resolve()
    work = (args.work or PROJECT_DIR / "target" / "benchmark" / args.data.name).resolve()
    json_path = args.json or work.with_suffix(".json")
    work.mkdir(parents=True, exist_ok=True)

    generate_s = generate(args)
    shape = data_shape(args.data)
    log(f"[data] {shape['rows']['contacts']:,} contacts, {shape['rows']['events']:,} events, "
        f"{shape['parquet_bytes'] / 1024**2:,.0f} MiB of Parquet")  # fmt: skip
    held_back = split_last_day(args.data, work / "raw_before_last_day", shape["rows"]["events"])

    db = work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DBT_DUCKDB_PATH": str(db),
        "DBT_THREADS": str(args.threads),
        "DBT_DUCKDB_MEMORY_LIMIT": args.memory_limit,
    }
    target = work / "dbt_target"
    common = ["--target-path", str(target), "--quiet"]
    day_before = (END_DATE - dt.timedelta(days=1)).isoformat()
    phases: list[Phase] = []

    def phase(name: str, dbt_args: list[str]) -> None:
        wall, rss = run_measured(name, dbt(*dbt_args, *common), env)
        phases.append(Phase(name, "dbt " + " ".join(dbt_args), round(wall, 2), round(rss, 3),
                            model_timings(target, args.top)))  # fmt: skip
        log(f"[{name}] {wall:.1f} s wall, {rss:.2f} GiB peak RSS")

    before_vars = json.dumps({"raw_data_path": str(work / "raw_before_last_day"), "as_of": day_before})
    phase("full", ["build", "--exclude", "resource_type:test", "resource_type:unit_test", "--vars", before_vars])
    last_vars = json.dumps({"raw_data_path": str(args.data), "as_of": END_DATE.isoformat()})
    phase("incremental", ["run", "--vars", last_vars])
    if not args.skip_tests:
        phase("test", ["test", "--vars", last_vars])

    by_name = {p.name: p for p in phases}
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
        },
        "data": {**shape, "folder": str(args.data), "last_day_events": held_back, "generate_s": generate_s},
        "threads": args.threads,
        "memory_limit": args.memory_limit,
        "phases": [asdict(p) for p in phases],
        "incremental_over_full": round(by_name["incremental"].wall_s / by_name["full"].wall_s, 3),
        "warehouse_bytes": db.stat().st_size,
    }
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=2))

    print(f"data: {shape['rows']['contacts']:,} contacts, {shape['rows']['events']:,} events "
          f"({shape['parquet_bytes'] / 1024**2:,.0f} MiB Parquet); last day: {held_back:,} events; "
          f"{os.cpu_count()} cores, {args.threads} dbt threads, DuckDB memory_limit {args.memory_limit}")  # fmt: skip
    for p in phases:
        command = p.command.split(" --vars")[0]
        print(f"{p.name:<12} {p.wall_s:>8.1f} s  {p.peak_rss_gib:>6.2f} GiB peak RSS   ({command})")
        for m in p.models[: args.top]:
            print(f"    {m['seconds']:>7.2f} s  {m['node']}")
    print(f"incremental / full: {result['incremental_over_full']:.1%}")
    print(f"results: {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
