"""Shared helpers: write small raw data sets and build them with dbt (dbtRunner)."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from contact_segmentation.lean_project import copy_project as copy_project  # the tests edit copies of it
from contact_segmentation.warehouse import PROJECT_DIR
from dbt.cli.main import dbtRunner

# The `segments` command of this environment, run as a user runs it.
SEGMENTS = [str(Path(sys.executable).with_name("segments"))]
DEMO_AS_OF = "2026-10-31"

BuildRaw = Callable[..., "Build"]

# The kept rows of a landing table, as the tests read them (docs/landing.md): every
# staged row that admission neither erased, rejected nor collapsed (the admission
# models leave an erased person's rows out; events keep the dropped rows apart).
KEPT = "rejection_reason is null and not is_collapsed"
KEPT_CONTACTS = f"(select * from int_contacts_admitted where {KEPT}) as kept_contacts"
KEPT_TAGS = f"(select * from int_contact_tags_admitted where {KEPT}) as kept_tags"
KEPT_ATTRIBUTES = f"(select * from int_contact_attributes_admitted where {KEPT}) as kept_attributes"
KEPT_EVENTS = """(
    select staged.* exclude (currency), mappings.event_type, coalesce(staged.currency, 'EUR') as currency,
        staged.revenue * rates.rate_to_reporting as revenue_reporting
    from stg_marketing__events as staged
    inner join main_reference.event_type_mappings as mappings using (source_event_type)
    left join int_fx_rates as rates on coalesce(staged.currency, 'EUR') = rates.currency
    where staged.event_row_id not in (select event_row_id from int_events_dropped)
) as kept_events"""
"""build_raw(tables, as_of=..., with_fx=...) -> Build"""


def load_script(name: str) -> types.ModuleType:
    """A developer tool of scripts/ (not part of the package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_DIR / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def landing_contract() -> dict[str, list[str]]:
    """The landing tables and their columns, from the one definition in the sources YAML."""
    sources = yaml.safe_load((PROJECT_DIR / "models/staging/marketing/_marketing__sources.yml").read_text())
    tables = sources["sources"][0]["tables"]
    return {table["name"]: [column["name"] for column in table["columns"]] for table in tables}


RAW_COLUMNS: dict[str, list[str]] = landing_contract()


def write_raw(folder: Path, tables: dict[str, list[dict[str, Any]]], with_fx: bool = True) -> Path:
    """Write the landing tables as CSV; tables not given are written empty (header only)."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, columns in RAW_COLUMNS.items():
        if table == "fx_rates" and not with_fx and table not in tables:
            continue
        unknown = {k for row in tables.get(table, []) for k in row} - set(columns)
        assert not unknown, f"fixture uses columns {unknown} that {table} does not have"
        write_table(folder / f"{table}.csv", table, tables.get(table, []))
    return folder


def write_table(path: Path, table: str, rows: list[dict[str, Any]]) -> None:
    """One landing CSV file of `table`: its contract columns in order (None as empty); other keys are left out."""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=RAW_COLUMNS[table])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row[k] for k in RAW_COLUMNS[table]})


def generate_raw(out: Path, contacts: int, days: int, end_date: str, seed: int, fmt: str = "csv") -> Path:
    """Synthetic raw data from `segments generate` (deterministic for the seed)."""
    subprocess.run(
        [*SEGMENTS, "generate", "--contacts", str(contacts), "--days", str(days),
         "--end-date", end_date, "--seed", str(seed), "--format", fmt, "--out", str(out), "--quiet"],
        cwd=PROJECT_DIR, check=True,
    )  # fmt: skip
    return out


@dataclass
class Build:
    """A dbt invocation against its own DuckDB file and target folder."""

    db_path: Path
    target_path: Path
    vars: dict[str, Any] = field(default_factory=dict)
    project_dir: Path = PROJECT_DIR
    result: Any = None
    env: dict[str, str] = field(default_factory=dict)
    """Environment variables of the runs, e.g. SEGMENTS_AS_OF (as_of without re-parsing)."""
    first_result: Any = None
    """The result of the run that built it (later runs replace `result`)."""
    write_json: bool = False
    """Write dbt's JSON artifacts (manifest.json, run_results.json) to target_path: about 0.7 s a run."""
    reuse_manifest: bool = False
    """Parse the project once and hand the parsed manifest to every later run with the same vars, as
    `segments backfill` does: for builds run day after day (about 0.8 s a run)."""
    manifest: Any = None
    manifest_vars: str = ""

    def run(self, *args: str, expect_success: bool = True, all_tests: bool = False) -> Any:
        """Run dbt. A fixture build runs the project's own invariant tests (tests/data, tests/generic:
        row accounting, segment sizes, ...) and every key's `unique` test, and leaves out, unless asked,
        the dbt unit tests (they state their own inputs, so they check the same thing whatever the
        fixture) and the column schema tests (not_null, accepted_values, relationships). The demo build
        runs them all, the engine builds all but the column tests (Spark the unit tests too); the
        fixtures' own assertions state their expected rows."""
        os.environ["DBT_DUCKDB_PATH"] = str(self.db_path)
        for name in ("SEGMENTS_AS_OF",):
            os.environ.pop(name, None)
        os.environ.update(self.env)
        skipped = [] if args[:1] != ("build",) or all_tests else [
            "--exclude-resource-type", "unit_test",
            "--exclude", "test_name:not_null", "test_name:accepted_values", "test_name:relationships",
        ]  # fmt: skip
        options = [
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.project_dir),
            "--target-path",
            str(self.target_path),
            "--vars",
            json.dumps(self.vars),
            *([] if self.write_json else ["--no-write-json"]),
        ]
        self.result = self.runner(options).invoke([*args, *skipped, *options])
        if expect_success and not self.result.success:
            pytest.fail(f"dbt {' '.join(args)} failed: " + "; ".join(self.failures()), pytrace=False)
        return self.result

    def runner(self, options: list[str]) -> dbtRunner:
        """A dbtRunner, handed a parsed project when there is one to share: the builds of the project
        itself share one per parse-time identity (shared_manifest_key) in this worker; a build of an
        edited copy reuses only its own, when reuse_manifest is set (parsed with `options`)."""
        key = self.shared_manifest_key()
        if key is None and not self.reuse_manifest:
            return dbtRunner()
        if key is not None:
            self.manifest = SHARED_MANIFESTS.get(key)
        elif self.manifest_vars != json.dumps(self.vars):
            self.manifest = None
        if self.manifest is None:
            parsed = dbtRunner().invoke(["parse", *options])
            if not parsed.success:  # the run itself parses again and reports it as a user sees it
                return dbtRunner()
            self.manifest, self.manifest_vars = parsed.result, json.dumps(self.vars)
            if key is not None:
                SHARED_MANIFESTS[key] = self.manifest
        return dbtRunner(manifest=self.manifest)

    def shared_manifest_key(self) -> str | None:
        """What a parse of the project itself depends on: its vars, except that only whether
        raw_data_path and as_of are set matters at parse time (the folder is read, and the day
        rendered, when models run), and the warehouse file's name, which dbt-duckdb makes the
        database every relation names. None for an edited copy of the project, whose files can
        change between runs."""
        if self.project_dir != PROJECT_DIR:
            return None
        parse_vars = {**self.vars, **{name: "<set>" for name in ("raw_data_path", "as_of") if self.vars.get(name)}}
        return json.dumps([self.db_path.stem, os.environ.get("DBT_TARGET", ""), parse_vars], sort_keys=True)

    def failures(self) -> list[str]:
        res = self.result.result
        if res is None:
            return [str(self.result.exception)]
        return [f"{r.node.name}: {r.status} {r.message}" for r in res if str(r.status) in ("error", "fail")]

    def connect(self) -> duckdb.DuckDBPyConnection:
        # dbt-duckdb keeps its own connection to the file open in this process, and
        # DuckDB refuses a second one with another configuration (read_only).
        return duckdb.connect(str(self.db_path))

    def copy_to(self, path: Path) -> Path:
        """A copy of the warehouse file at `path`, free of this process's own connection to it."""
        with self.connect() as con:
            con.execute("checkpoint")
        shutil.copy(self.db_path, path)
        return path

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with self.connect() as con:
            return con.execute(sql).fetchall()

    def scalar(self, sql: str) -> Any:
        rows = self.query(sql)
        assert len(rows) == 1, f"expected one row from {sql!r}, got {rows}"
        return rows[0][0]


# The parsed project, per Build.shared_manifest_key, shared by this worker's builds: a full
# parse costs about 11 s of a fixture build's 16.
SHARED_MANIFESTS: dict[str, Any] = {}


def table_rows(build: Build, table: str) -> list[tuple[Any, ...]]:
    return sorted(build.query(f"select * from {table}"), key=repr)


def assert_same_tables(got: Build, expected: Build, tables: tuple[str, ...]) -> None:
    """The tables hold the same rows in both warehouses (in any order)."""
    for table in tables:
        left, right = table_rows(got, table), table_rows(expected, table)
        assert len(left) == len(right), f"{table}: {len(left)} rows, expected {len(right)}"
        differing = [(a, b) for a, b in zip(left, right, strict=True) if a != b]
        assert not differing, f"{table}: {len(differing)} rows differ, first: {differing[0]}"


def full_build(
    root: Path,
    name: str,
    landing: Path,
    as_of: dt.date,
    project: Path = PROJECT_DIR,
    tests: bool = True,
    more_vars: dict[str, Any] | None = None,
) -> Build:
    """A fresh build of a landing folder as of `as_of` (passed as SEGMENTS_AS_OF), in root/<name>.duckdb,
    with the fixture builds' tests (Build.run) or, with tests=False, none; `more_vars` beside raw_data_path."""
    build_vars = {"raw_data_path": str(landing), **(more_vars or {})}
    build = Build(root / f"{name}.duckdb", root / f"{name}_target", build_vars, project)
    build.env = {"SEGMENTS_AS_OF": as_of.isoformat()}
    build.run("build", *([] if tests else ["--exclude", "resource_type:test", "resource_type:unit_test"]))
    return build


@pytest.fixture
def build_raw(tmp_path: Path) -> Iterator[BuildRaw]:
    """Build a hand-written raw data set: build_raw(tables, as_of=..., with_fx=...) -> Build."""

    def _build(
        tables: dict[str, list[dict[str, Any]]],
        as_of: str = "2026-03-31",
        with_fx: bool = True,
        select: str | None = None,
    ) -> Build:
        raw = write_raw(tmp_path / "raw", tables, with_fx=with_fx)
        build = Build(tmp_path / "warehouse.duckdb", tmp_path / "target", {"raw_data_path": str(raw), "as_of": as_of})
        args = ["build"] + (["--select", select] if select else [])
        build.run(*args)
        return build

    yield _build


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The demo warehouse, built once from the seeds."""
    root = tmp_path_factory.mktemp("demo")
    build = Build(root / "demo.duckdb", root / "target", {"as_of": DEMO_AS_OF}, write_json=True)
    build.first_result = build.run("build", all_tests=True)
    return build


@pytest.fixture
def demo_copy(demo: Build, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse file, free of this process's own connection to it."""
    return demo.copy_to(tmp_path / "warehouse.duckdb")


# Seconds the longest tests took on the 2-core CI machine (pytest --durations). make test
# runs pytest -n 2 --dist worksteal, which hands each worker a contiguous share of the
# collection and lets an idle worker take the *end* of another's share: so each share
# starts with its long tests, spread so that the shares weigh about the same, and the
# short tests fill in behind them and are the ones taken over.
LONG_TESTS = {
    "test_engine_builds_passes_its_tests_and_matches_duckdb[spark]": 290,
    "test_readers_never_block_the_build": 163,
    "test_daily_batches_of_a_month_equal_a_full_build": 127,
    "test_benchmark_runs_every_phase_and_reports_it": 127,
    "test_pip_install_gives_a_segments_command": 90,
    "test_integration_project_builds_the_demo": 87,
    "test_backfill_resumes_without_duplicates": 86,
    "test_a_host_project_maps_its_landing_tables": 73,
    "test_history_is_recorded_once_per_day_and_only_forward": 58,
    "test_lift_on_planted_effects_splits_and_a_past_as_of": 58,
    "test_daily_batches_run_day_by_day_equal_one_full_build": 58,
    "test_engine_builds_passes_its_tests_and_matches_duckdb[postgres]": 54,
    "test_events_after_as_of_change_nothing": 47,
}


def pytest_configure(config: pytest.Config) -> None:
    """dbt's file log (logs/dbt.log) at warn, unless the developer sets DBT_LOG_LEVEL_FILE: writing its
    debug lines is about a tenth of a fixture build (6.7 s against 7.7 s a build, docs/decisions.md),
    and a failing build reports its errors through Build.failures and dbt's own output."""
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "warn")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return

    def weight(item: pytest.Item) -> int:
        return next((seconds for name, seconds in LONG_TESTS.items() if item.name.startswith(name)), 0)

    long_tests = sorted((item for item in items if weight(item)), key=weight, reverse=True)
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for item in long_tests:  # each to the lightest share so far
        lightest = loads.index(min(loads))
        shares[lightest].append(item)
        loads[lightest] += weight(item)
    short_tests = iter(item for item in items if not weight(item))
    remaining = len(items)
    for index, share in enumerate(shares):  # the sizes worksteal cuts the collection into
        size = remaining // (workers - index)
        remaining -= size
        share.extend(itertools.islice(short_tests, max(0, size - len(share))))
    items[:] = [item for share in shares for item in share] + list(short_tests)
