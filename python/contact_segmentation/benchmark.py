"""Benchmark the segmentation warehouse on daily load batches, against a plain DuckDB yardstick.

Every phase runs as its own process, so that its wall time and peak RSS are its own:

  generate   `segments generate` writes the raw tables as daily batch files
             (Parquet), once (reused while the options are the same);
  yardstick  `segments yardstick` on every event: a plain DuckDB script that stages the
             raw events into a narrow typed table and computes per-contact features
             from it, with no dbt and no admission rules (docs/decisions.md);
  full       a fresh warehouse built from the batches of every day but the last
             (`dbt build` without tests);
  daily      the last day's batches land and that day runs (`dbt run`, the day passed
             as SEGMENTS_AS_OF so that dbt does not re-parse): the daily job;
  test       `dbt test` on the result (skip with --skip-tests);
  no_batch   the next day's run when no batch has landed (`dbt run`): what moving
             as_of alone costs, the part of a daily run that is not the new data;
  month      another warehouse built up to --month-days before the last day, then one
             daily run per day up to it, each timed (--month-days 0 skips it);
  daily_lean with --rules-cost, the same daily run on a copy of the full build by the
             project without its computed traits and the segments that use sequences,
             habits, returns or traits: what they cost a daily run;
  spark_full, spark_daily
             with --target spark, the full build and the daily run again on Spark
             (dbt-spark, session mode, `make test-engines` installs it), on the same
             batches, in a warehouse of its own (spark-warehouse/ under --work).

It prints the data size, each phase's wall time and peak RSS, the slowest models, the
full build and the daily run as ratios to the yardstick, the month's time per day, and
whether each target of docs/decisions.md "Benchmark" holds; everything is also
written as JSON (--json). Exit status 0 whether or not the targets hold.

--sizes runs all of it at each size, then prints the cost curve: per size and for the
full build, the daily run and the no-batch day, the wall time, the time per million events
and the peak RSS, and the warehouse's size on disk; it draws the curve (seconds per
million events against contacts) as an SVG, and checks that at the largest size each
run's time per million events is at most 1.25 times that at the size before it.

Examples:
    segments benchmark                                  # 1M contacts, ~50M events
    segments benchmark --sizes 100000,1000000,5000000 --month-days 0 --skip-tests
    segments benchmark --contacts 10000 --days 60 --month-days 5
    segments benchmark --contacts 100000 --month-days 0 --skip-tests --target spark
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .generate.vocabularies import TABLES as RAW_TABLES
from .lean_project import lean_project
from .warehouse import PROJECT_DIR, dbt_executable

END_DATE = dt.date(2026, 10, 31)
# Reported in every phase whatever their rank (docs/predictions.md: the BG/NBD and Gamma-Gamma fit and scores,
# the propensity model).
PREDICTIVE_MODELS = ("int_clv_models_fitted", "int_contacts_clv_predicted", "clv_model_parameters",
                     "int_contacts_propensity_features", "int_propensity_snapshots", "int_propensity_models_trained",
                     "int_contacts_propensity_scored")  # fmt: skip
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")
TARGETS = {
    "full_over_yardstick": 1.5,
    "daily_over_yardstick": 0.4,
    "peak_rss_gib": 3.0,
    "month_drift": 1.2,
    # Sequences, habits, returns and traits add at most 15 % to a daily run (issue 40).
    "daily_over_daily_lean": 1.15,
    # Spark's daily run reads only what changed (issue 39): at most 0.4 of its full build.
    "spark_daily_over_spark_full": 0.4,
}


@dataclass
class Phase:
    name: str
    command: str
    wall_s: float
    peak_rss_gib: float
    models: list[dict[str, Any]] = field(default_factory=list)
    predictive_s: dict[str, float] = field(default_factory=dict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tree_rss_kib(root: int) -> int:
    """The memory of a process and all its descendants now, in KiB: the sum of their proportional set sizes
    (/proc/<pid>/smaps_rollup), so that pages a child shares with its parent count once."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:  # the fields after the command (which may hold spaces): state, then the parent's pid
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # the process ended meanwhile
                continue
    tree, changed = {root}, True
    while changed:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        changed, tree = grown != tree, grown
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total


def run_measured(
    name: str, args: list[str], env: dict[str, str], quiet: bool = False, cwd: Path = PROJECT_DIR
) -> tuple[float, float, str]:
    """Run a command to completion: its wall seconds, peak memory in GiB and output. The peak is the larger of
    the kernel's peak RSS (the process, or its largest waited-for child) and the whole process tree's memory
    (tree_rss_kib), sampled every half second: Spark's JVM is a child that dbt never waits for. The kernel's
    figure starts at the size of this process, which forks the command."""
    log(f"[{name}] {' '.join(args)}")
    started = time.monotonic()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE if quiet else None, text=True)
    sampled = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            sampled[0] = max(sampled[0], tree_rss_kib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    wall = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark: phase {name!r} failed (exit {os.waitstatus_to_exitcode(status)}); see above")
    return wall, max(usage.ru_maxrss, sampled[0]) / 1024**2, output  # both in KiB on Linux


def run_results(target: Path) -> list[dict[str, Any]]:
    """The nodes of the last dbt invocation, from run_results.json."""
    results: list[dict[str, Any]] = json.loads((target / "run_results.json").read_text())["results"]
    return results


def model_timings(results: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    """The slowest nodes of a dbt invocation."""
    rows = [
        {"node": r["unique_id"].split(".", 2)[-1], "seconds": round(r["execution_time"], 2), "status": r["status"]}
        for r in results
    ]
    return sorted(rows, key=lambda r: -r["seconds"])[:top]


def predictive_timings(results: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds of each predictive model a dbt invocation ran."""
    return {
        r["unique_id"].rsplit(".", 1)[-1]: round(r["execution_time"], 2)
        for r in results
        if r["unique_id"].startswith("model.") and r["unique_id"].rsplit(".", 1)[-1] in PREDICTIVE_MODELS
    }


def batch_files(data: Path) -> dict[str, list[Path]]:
    """Every batch file of every table, in day order."""
    return {table: sorted((data / table).glob("*.parquet")) for table in RAW_TABLES}


def data_shape(data: Path) -> dict[str, Any]:
    """Rows per raw table (from the Parquet footers), bytes on disk and the last day's events."""
    files = batch_files(data)
    with duckdb.connect() as con:
        rows = {
            table: con.execute(
                f"select coalesce(sum(num_rows), 0) from parquet_file_metadata({[str(p) for p in paths]})"
            ).fetchone()[0]  # type: ignore[index]
            if paths
            else 0
            for table, paths in files.items()
        }
        last = data / "events" / f"{END_DATE}.parquet"
        last_rows = (
            con.execute(f"select num_rows from parquet_file_metadata('{last}')").fetchone() if last.exists() else None
        )
    size = sum(p.stat().st_size for paths in files.values() for p in paths)
    return {"rows": rows, "parquet_bytes": size, "last_day_events": last_rows[0] if last_rows else 0}


def generate(args: argparse.Namespace) -> float | None:
    manifest = args.data / "benchmark.json"
    wanted = {
        "contacts": args.contacts,
        "days": args.days,
        "activity": args.activity,
        "end_date": str(END_DATE),
        "batches": "daily",
    }
    if manifest.exists() and json.loads(manifest.read_text()) == wanted:
        log(f"[generate] reusing {args.data}")
        return None
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "contact_segmentation",
            "generate",
            "--contacts",
            str(args.contacts),
            "--days",
            str(args.days),
            "--activity",
            str(args.activity),
            "--end-date",
            str(END_DATE),
            "--format",
            "parquet",
            "--batches",
            "daily",
            "--out",
            str(args.data),
        ],
        cwd=PROJECT_DIR,
        check=True,
    )
    manifest.write_text(json.dumps(wanted))
    return time.monotonic() - started


def land(data: Path, landing: Path, through: dt.date) -> int:
    """Let every batch file of the days through `through` land (as links); the number that landed now."""
    landed = 0
    for table, paths in batch_files(data).items():
        (landing / table).mkdir(parents=True, exist_ok=True)
        for path in paths:
            link = landing / table / path.name
            if path.stem <= through.isoformat() and not link.exists():
                link.symlink_to(path.resolve())
                landed += 1
    return landed


def dbt(*args: str, project: Path = PROJECT_DIR) -> list[str]:
    return [dbt_executable(), *args, "--project-dir", str(project), "--profiles-dir", str(project)]


class Warehouse:
    """One warehouse (DuckDB, or Spark's in its folder) fed from a landing folder, run by dbt phase by phase."""

    def __init__(
        self, work: Path, name: str, args: argparse.Namespace, engine: str = "duckdb", project: Path = PROJECT_DIR
    ) -> None:
        self.root = work / name
        self.project = project
        self.landing = self.root / "landing"
        self.db = self.root / "warehouse.duckdb"
        self.target = self.root / "dbt_target"
        self.args = args
        for path in self.landing.glob("*/*"):
            path.unlink()
        self.db.unlink(missing_ok=True)
        for folder in ("spark-warehouse", "metastore_db"):  # Spark's tables and metastore (profiles.yml)
            shutil.rmtree(self.root / folder, ignore_errors=True)
        self.landing.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DBT_TARGET": engine,
            # dbt runs in the warehouse folder (Spark keeps its tables there): profiles.yml finds python/ by this.
            "DBT_PROJECT_DIR": str(project),
            "DBT_DUCKDB_PATH": str(self.db),
            "DBT_THREADS": str(args.threads),
            "DBT_DUCKDB_MEMORY_LIMIT": args.memory_limit,
        }
        self.vars = json.dumps({"raw_data_path": str(self.landing)})

    def full_then_daily(self, data: Path, prefix: str = "", lean: Warehouse | None = None) -> list[Phase]:
        """A fresh build of every day but the last (no tests), then the last day's daily run. With `lean`,
        that warehouse gets a copy of the full build and runs the same day with its own project, after
        this one (parsed first, as the daily job's project is)."""
        land(data, self.landing, END_DATE - dt.timedelta(days=1))
        full = self.phase(f"{prefix}full", END_DATE - dt.timedelta(days=1), ["build", *NO_TESTS])
        if lean is not None:
            shutil.copy(self.db, lean.db)
            lean.vars = self.vars
            parse = dbt(
                "parse", "--target-path", str(lean.target), "--quiet", "--vars", lean.vars, project=lean.project
            )
            subprocess.run(parse, env={**lean.env, "SEGMENTS_AS_OF": END_DATE.isoformat()}, cwd=lean.root, check=True)
        land(data, self.landing, END_DATE)
        phases = [full, self.phase(f"{prefix}daily", END_DATE, ["run"])]
        if lean is not None:
            phases.append(lean.phase(f"{prefix}daily_lean", END_DATE, ["run"]))
        return phases

    def phase(self, name: str, day: dt.date, dbt_args: list[str]) -> Phase:
        env = {**self.env, "SEGMENTS_AS_OF": day.isoformat()}
        wall, rss, _ = run_measured(
            name,
            dbt(*dbt_args, "--target-path", str(self.target), "--quiet", "--vars", self.vars, project=self.project),
            env,
            cwd=self.root,
        )
        log(f"[{name}] {wall:.1f} s wall, {rss:.2f} GiB peak RSS")
        results = run_results(self.target)
        return Phase(
            name,
            "dbt " + " ".join(dbt_args),
            round(wall, 2),
            round(rss, 3),
            model_timings(results, self.args.top),
            predictive_timings(results),
        )


def yardstick(args: argparse.Namespace, work: Path) -> Phase:
    command = [
        sys.executable,
        "-m",
        "contact_segmentation",
        "yardstick",
        "--data",
        str(args.data),
        "--as-of",
        str(END_DATE),
        "--db",
        str(work / "yardstick.duckdb"),
        "--memory-limit",
        args.memory_limit,
    ]
    wall, rss, output = run_measured("yardstick", command, dict(os.environ), quiet=True)
    (work / "yardstick.duckdb").unlink(missing_ok=True)
    steps = [
        {"node": line.split()[0], "seconds": float(line.split()[1])}
        for line in output.splitlines()[:-1]
        if line.strip()
    ]
    log(f"[yardstick] {wall:.1f} s wall, {rss:.2f} GiB peak RSS")
    return Phase("yardstick", "segments yardstick", round(wall, 2), round(rss, 3), steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments benchmark", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts (default: %(default)s)")
    parser.add_argument("--days", type=int, default=365, help="days of event history (default: %(default)s)")
    parser.add_argument(
        "--activity", type=float, default=1.6, help="site sessions multiplier; 1.6 gives ~50 events per contact-year"
    )
    parser.add_argument("--data", type=Path, default=None, help="raw data folder (default: data/bench-<contacts>)")
    parser.add_argument("--skip-tests", action="store_true", help="leave out the dbt test phase")
    parser.add_argument("--month-days", type=int, default=30, help="daily runs of the month phase; 0 skips it")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="dbt threads (default: cores)")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit (default: %(default)s)")
    parser.add_argument("--top", type=int, default=8, help="slowest models listed per phase (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=None, help="warehouse folder (default: target/benchmark/<data>)")
    parser.add_argument("--json", type=Path, default=None, help="results file (default: <work>.json)")
    parser.add_argument(
        "--rules-cost",
        action="store_true",
        help="also run the daily run on a copy of the full build without the computed traits and the segments "
        "that use sequences, habits, returns or traits (daily_lean): what they cost",
    )
    parser.add_argument(
        "--target",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="spark: also run the full build and the daily run on Spark (default: %(default)s)",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        help="comma-separated contact counts, e.g. 100000,1000000,5000000: the benchmark at each size, then the "
        "cost curve (time per million events against size) and its targets; --data, --work and --json are per size",
    )
    parser.add_argument(
        "--curve", type=Path, default=None, help="with --sizes: the curve's SVG (default: target/benchmark/curve.svg)"
    )
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.days < 2 or any(size < 1 for size in args.sizes or []):
        parser.error("--contacts and every size must be at least 1, and --days at least 2")
    if not 0 <= args.month_days < args.days:
        parser.error("--month-days must be at least 0 and less than --days")
    if args.sizes:
        if args.data or args.work or args.json:
            parser.error("--data, --work and --json are chosen per size with --sizes")
        from .cost_curve import cost_curve

        results = []
        for size in sorted(set(args.sizes)):
            log(f"[sizes] {size:,} contacts")
            results.append(run_one(argparse.Namespace(**{**vars(args), "contacts": size})))
        return cost_curve(results, args.curve or PROJECT_DIR / "target" / "benchmark" / "curve.svg")
    run_one(args)
    return 0


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    """The benchmark at one size: every phase, the report, and the JSON file; returns the results."""
    args.data = (args.data or PROJECT_DIR / "data" / f"bench-{args.contacts}").resolve()
    work = (args.work or PROJECT_DIR / "target" / "benchmark" / args.data.name).resolve()
    json_path = args.json or work.with_suffix(".json")
    work.mkdir(parents=True, exist_ok=True)

    generate_s = generate(args)
    shape = data_shape(args.data)
    log(
        f"[data] {shape['rows']['contacts']:,} contact rows, {shape['rows']['events']:,} events in daily batches, "
        f"{shape['parquet_bytes'] / 1024**2:,.0f} MiB of Parquet; the last day {shape['last_day_events']:,} events"
    )

    phases = [yardstick(args, work)]
    main_run = Warehouse(work, "main", args)
    lean = None
    if args.rules_cost:
        project, segments, traits = lean_project(work / "lean_project")
        log(f"[daily_lean] the daily run again without traits {', '.join(traits)}; segments {', '.join(segments)}")
        lean = Warehouse(work, "lean", args, project=project)
    phases += main_run.full_then_daily(args.data, lean=lean)
    if not args.skip_tests:
        phases.append(main_run.phase("test", END_DATE, ["test"]))
    phases.append(main_run.phase("no_batch", END_DATE + dt.timedelta(days=1), ["run"]))
    month: list[float] = []
    if args.month_days:
        month_run = Warehouse(work, "month", args)
        first = END_DATE - dt.timedelta(days=args.month_days)
        land(args.data, month_run.landing, first)
        phases.append(month_run.phase("month_start", first, ["build", *NO_TESTS]))
        for offset in range(1, args.month_days + 1):
            day = first + dt.timedelta(days=offset)
            land(args.data, month_run.landing, day)
            phase = month_run.phase(f"month_day_{offset}", day, ["run"])
            phases.append(phase)
            month.append(phase.wall_s)

    if args.target == "spark":
        phases += Warehouse(work, "spark", args, engine="spark").full_then_daily(args.data, prefix="spark_")

    result = summarize(args, shape, generate_s, phases, month, main_run.db)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=2))
    print_report(args, result, phases)
    print(f"results: {json_path}")
    return result


def summarize(
    args: argparse.Namespace,
    shape: dict[str, Any],
    generate_s: float | None,
    phases: list[Phase],
    month: list[float],
    db: Path,
) -> dict[str, Any]:
    by_name = {p.name: p for p in phases}
    yard = by_name["yardstick"].wall_s
    figures: dict[str, Any] = {
        "full_over_yardstick": round(by_name["full"].wall_s / yard, 3),
        "daily_over_yardstick": round(by_name["daily"].wall_s / yard, 3),
        "peak_rss_gib": max(p.peak_rss_gib for p in phases if p.name != "yardstick" and not p.name.startswith("spark")),
    }
    if len(month) >= 10:
        figures["month_drift"] = round(sum(month[-5:]) / sum(month[:5]), 3)
    if "daily_lean" in by_name:
        figures["daily_over_daily_lean"] = round(by_name["daily"].wall_s / by_name["daily_lean"].wall_s, 3)
    if "spark_daily" in by_name:
        figures["spark_daily_over_spark_full"] = round(by_name["spark_daily"].wall_s / by_name["spark_full"].wall_s, 3)
    # Not a target: the share of a daily run that the new data does not explain.
    no_batch_over_daily = round(by_name["no_batch"].wall_s / by_name["daily"].wall_s, 3)
    # Spark against the yardstick, for comparison; its target is against its own full build.
    spark = {
        f"{name}_over_yardstick": round(by_name[name].wall_s / yard, 3)
        for name in ("spark_full", "spark_daily")
        if name in by_name
    }
    if spark:
        spark["spark_peak_rss_gib"] = max(p.peak_rss_gib for p in phases if p.name.startswith("spark"))
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
        },
        "data": {**shape, "folder": str(args.data), "generate_s": generate_s},
        "threads": args.threads,
        "memory_limit": args.memory_limit,
        "phases": [asdict(p) for p in phases],
        "month_seconds_per_day": month,
        "no_batch_over_daily": no_batch_over_daily,
        "figures": figures,
        "spark_figures": spark,
        "targets": {
            name: {"target": TARGETS[name], "value": value, "met": value <= TARGETS[name]}
            for name, value in figures.items()
        },
        "warehouse_bytes": db.stat().st_size,
        "contacts": args.contacts,
    }


def print_report(args: argparse.Namespace, result: dict[str, Any], phases: list[Phase]) -> None:
    shape = result["data"]
    print(
        f"data: {shape['rows']['contacts']:,} contact rows, {shape['rows']['events']:,} events "
        f"({shape['parquet_bytes'] / 1024**2:,.0f} MiB Parquet, daily batches); the last day: "
        f"{shape['last_day_events']:,} events; {os.cpu_count()} cores, {args.threads} dbt threads, "
        f"DuckDB memory_limit {args.memory_limit}"
    )
    for p in phases:
        if p.name.startswith("month_day_"):
            continue
        print(f"{p.name:<12} {p.wall_s:>8.1f} s  {p.peak_rss_gib:>6.2f} GiB peak RSS   ({p.command})")
        for m in p.models[: args.top]:
            print(f"    {m['seconds']:>7.2f} s  {m['node']}")
        if p.predictive_s:
            print("    predictive models: " + ", ".join(f"{n} {s:.2f} s" for n, s in p.predictive_s.items()))
    print(f"no_batch_over_daily    {result['no_batch_over_daily']:>7.3f}  (the next day with no new batch)")
    month = result["month_seconds_per_day"]
    if month:
        print(f"month: {len(month)} daily runs, " + ", ".join(f"{s:.1f}" for s in month) + " s")
    for name, value in result["spark_figures"].items():
        print(f"{name:<22} {value:>7.3f}")
    for name, target in result["targets"].items():
        verdict = "met" if target["met"] else "MISSED"
        print(f"{name:<22} {target['value']:>7.3f}  (target <= {target['target']}): {verdict}")


if __name__ == "__main__":
    sys.exit(main())
