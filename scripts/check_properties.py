#!/usr/bin/env python3
"""Check the seven invariants on many random data sets (tests/python/test_properties.py).

`make test` checks 25 data sets per property with a fixed seed. This runs as many as you
ask (1,000 per property by default), BATCH data sets per warehouse build, and reports per
property the data sets checked, the builds, the time and, for a property that failed, the
counter-example Hypothesis shrank it to (its shapes and rules, and a @reproduce_failure line).

The properties: consent, erasure and accounting, and segment semantics (one build each
example); determinism (two builds); incremental = full (four daily runs and a full build);
point in time (two builds). On 2 cores, 1,000 data sets per property take about 20 minutes.

Exit codes: 0 every property held, 1 a property failed (its counter-example is printed),
2 bad arguments.

Examples:
    python scripts/check_properties.py                         # 1,000 per property, seed 1
    python scripts/check_properties.py --datasets 200 --seed 7 --no-shrink
    python scripts/check_properties.py -k point_in_time        # one property
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from contact_segmentation.warehouse import PROJECT_DIR

TEST_FILE = "tests/python/test_properties.py"


def summarise(lines: list[str]) -> dict[str, dict[str, float]]:
    """Per property: data sets checked (examples that passed), examples, failed examples, seconds."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: {"datasets": 0, "examples": 0, "failed": 0, "seconds": 0})
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        total = totals[record["property"]]
        total["examples"] += 1
        total["seconds"] += record["seconds"]
        if record["outcome"] == "passed":
            total["datasets"] += record["datasets"]
        else:
            total["failed"] += 1
    return dict(totals)


def counter_examples(output: str) -> list[str]:
    """The failing test cases Hypothesis printed (after shrinking), one text block each."""
    blocks = re.findall(r"(Failing test case: .*?)(?=\n[^E\n]|\Z)", output, flags=re.S)
    return [re.sub(r"^E ?", "", block, flags=re.M).strip() for block in blocks]


def show_progress(report: Path, started: float, done: threading.Event) -> None:
    """Print each example's outcome as the report file grows (pytest's own output comes at the end)."""
    seen = 0
    while not done.wait(5):
        lines = report.read_text().splitlines() if report.exists() else []
        for line in lines[seen:]:
            record = json.loads(line)
            print(
                f"  {time.monotonic() - started:6.0f} s  {record['property']}: {record['outcome']} "
                f"({record['datasets']} data sets, {record['seconds']} s)",
                flush=True,
            )
        seen = len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=1000, help="data sets per property (default: 1000)")
    parser.add_argument("--batch", type=int, default=50, help="data sets per warehouse build (default: 50)")
    parser.add_argument("--seed", type=int, default=1, help="Hypothesis seed (default: 1)")
    parser.add_argument("--no-shrink", action="store_true", help="report a failure as found, without shrinking it")
    parser.add_argument("--workers", type=int, default=2, help="pytest workers (default: 2)")
    parser.add_argument("-k", dest="select", help="only the properties whose test name matches (pytest -k)")
    parser.add_argument(
        "--report",
        type=Path,
        default=PROJECT_DIR / "target/properties/report.jsonl",
        help="where each example's outcome is written (JSON lines)",
    )
    args = parser.parse_args(argv)
    if args.datasets < 1 or args.batch < 1 or args.workers < 1:
        parser.error("--datasets, --batch and --workers must be at least 1")

    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.unlink(missing_ok=True)
    env = os.environ | {
        "PROPERTY_DATASETS": str(args.datasets),
        "PROPERTY_BATCH": str(args.batch),
        "PROPERTY_SEED": str(args.seed),
        "PROPERTY_SHRINK": "0" if args.no_shrink else "1",
        "PROPERTY_REPORT": str(args.report),
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_PROJECT_DIR": str(PROJECT_DIR),
    }
    command = [sys.executable, "-m", "pytest", TEST_FILE, "-q", "-p", "no:cacheprovider", "-n", str(args.workers)]
    command += ["-k", args.select] if args.select else []
    rounds = -(-args.datasets // min(args.batch, args.datasets))
    print(
        f"{args.datasets} data sets per property, {rounds} builds of {min(args.batch, args.datasets)}, "
        f"seed {args.seed}: running {' '.join(command[2:])}",
        flush=True,
    )
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    done = threading.Event()
    threading.Thread(target=show_progress, args=(args.report, started, done), daemon=True).start()
    output, _ = process.communicate()
    done.set()
    code = process.returncode
    elapsed = time.monotonic() - started

    totals = summarise(args.report.read_text().splitlines() if args.report.exists() else [])
    print(f"\n{'property':<50} {'data sets':>9} {'examples':>8} {'failed':>6} {'seconds':>8}")
    for name, total in sorted(totals.items()):
        print(
            f"{name:<50} {total['datasets']:>9.0f} {total['examples']:>8.0f} {total['failed']:>6.0f} "
            f"{total['seconds']:>8.0f}"
        )
    print(f"wall clock {elapsed:.0f} s; pytest exit code {code}")
    for block in counter_examples(output):
        print("\nCounter-example:\n" + block)
    if code != 0 and not totals:
        print("\n".join(output.splitlines()[-40:]))
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
