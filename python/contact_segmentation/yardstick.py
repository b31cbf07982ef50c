"""Run the benchmark's yardstick: a plain DuckDB script over the raw events (yardstick.sql).

It stages the raw events into a narrow typed table and computes per-contact features
from it, with no dbt, no admission rules and no incremental state: the least a full
build must do (docs/decisions.md "Benchmark"). It prints the seconds of each step
and their total on the last line, as `total <seconds>`.

Example:
    segments yardstick --data data/bench-1000000 --as-of 2026-10-31 --db /tmp/yardstick.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from importlib import resources
from pathlib import Path

import duckdb

from .warehouse import PROJECT_DIR

WINDOWS = (7, 30, 90, 365)


def events_source(data: Path) -> str:
    """A read_* call over every raw event file: a folder of batches or one file, Parquet or CSV."""
    for pattern, reader in (("events/**/*.parquet", "read_parquet"), ("events.parquet", "read_parquet"),
                            ("events/**/*.csv", "read_csv"), ("events.csv", "read_csv")):  # fmt: skip
        if list(data.glob(pattern)):
            options = ", all_varchar = true" if reader == "read_csv" else ""
            return f"{reader}('{data / pattern}'{options})"
    raise SystemExit(f"yardstick: no events under {data}")


def statements(data: Path, as_of: dt.date) -> list[str]:
    windows = "\n".join(
        f"count(*) filter (where {kind}_at >= date '{as_of}' - {days - 1}) as {kind}_{days}d,"
        for days in WINDOWS
        for kind in ("delivered", "opened", "clicked")
    )
    sql = (
        resources.files(__package__)
        .joinpath("yardstick.sql")
        .read_text()
        .format(
            events=events_source(data),
            mappings=PROJECT_DIR / "seeds" / "reference" / "event_type_mappings.csv",
            as_of=as_of.isoformat(),
            windows=windows,
        )
    )
    code = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
    return [part for part in code.split(";") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments yardstick", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="raw data folder (events/ or events.*)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True, help="the day, YYYY-MM-DD")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to build in (replaced)")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: DuckDB's own)")
    args = parser.parse_args(argv)
    args.db.unlink(missing_ok=True)
    con = duckdb.connect(str(args.db))
    con.execute(f"set memory_limit = '{args.memory_limit}'; set timezone = 'UTC'")
    if args.threads:
        con.execute(f"set threads = {args.threads}")
    total = 0.0
    for statement in statements(args.data, args.as_of):
        name = next(line for line in statement.splitlines() if line.strip().startswith("create")).split()[-2]
        started = time.monotonic()
        con.execute(statement)
        seconds = time.monotonic() - started
        total += seconds
        print(f"{name:<24} {seconds:8.2f} s", flush=True)
    print(f"total {total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
