"""Any dbt selection is safe for the daily-run state (docs/incremental.md "Selections").

Analysts run parts of the graph: one model, a model and its parents, slim CI's
`state:modified+`, and now and then a run dies half-way. After a batch lands, each of these,
followed by the daily command (`dbt run`), must leave the marts equal to one full build of the
same landing, and the history equal to the plain day-by-day run. A selection either folds the
batch into every state table or folds none of it; it never leaves the state half-folded.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Build, assert_same_tables, copy_project, full_build, generate_raw, write_table

DAY_1 = dt.date(2026, 5, 30)
DAY_2 = DAY_1 + dt.timedelta(days=1)
MARTS = ("contact_features", "contact_segments", "source_row_accounting")
HISTORY = ("segment_daily_sizes", "segment_membership_changes", "segment_group_changes")
VARS: dict[str, Any] = {"clv_enabled": False}
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")
DBT = str(Path(sys.executable).with_name("dbt"))
# The state model a killed run is stopped in: it starts after admission and before the commit.
KILLED_IN = "int_contact_activity"


def land(source: Path, landing: Path) -> None:
    """Day 1's batch: every row of the generated data except the events of DAY_2 and every
    seventh older event, which land on DAY_2 (late by up to 60 days), with the contacts of
    the persons created on DAY_2."""
    for table_file in sorted(source.glob("*.csv")):
        table = table_file.stem
        with table_file.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        if table == "fx_rates":
            write_table(landing / "fx_rates.csv", table, rows)
            continue
        column = {"events": "occurred_at", "contacts": "created_at"}.get(table)
        second = [i for i, row in enumerate(rows) if column and (row[column] or "")[:10] == str(DAY_2)]
        if table == "events":
            second += [i for i in range(0, len(rows), 7) if (rows[i]["occurred_at"] or "")[:10] < str(DAY_2)]
        folder = landing / table
        folder.mkdir(parents=True, exist_ok=True)
        write_table(folder / f"{DAY_1}.csv", table, [row for i, row in enumerate(rows) if i not in set(second)])
        day_2 = [rows[i] for i in sorted(set(second))]
        if day_2:
            (landing.parent / "pending" / table).mkdir(parents=True, exist_ok=True)
            write_table(landing.parent / "pending" / table / f"{DAY_2}.csv", table, day_2)


def land_day_2(landing: Path, pending: Path) -> None:
    for path in pending.rglob("*.csv"):
        shutil.copy(path, landing / path.parent.name / path.name)


def copy_of(base: Build, root: Path, project: Path | None = None) -> Build:
    """The day-1 warehouse in a folder of its own (same file name: DuckDB names the database by it),
    reading the same landing folder (the load-batch manifest records where each batch was read)."""
    root.mkdir()
    db_path = base.copy_to(root / base.db_path.name)
    shutil.copytree(base.target_path, root / "target")
    build = Build(db_path, root / "target", base.vars, project_dir=project or base.project_dir)  # fmt: skip
    build.env = {"SEGMENTS_AS_OF": str(DAY_2)}
    return build


def kill_in(build: Build, model: str) -> None:
    """Start the daily command as a user does and kill -9 it as soon as `model` starts."""
    command = [DBT, "run", "--project-dir", str(build.project_dir), "--profiles-dir", str(build.project_dir),
               "--target-path", str(build.target_path), "--vars", json.dumps(build.vars)]  # fmt: skip
    env = {**os.environ, "DBT_DUCKDB_PATH": str(build.db_path), **build.env}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "START" in line and f".{model} " in line:
            process.send_signal(signal.SIGKILL)
            break
    process.stdout.close()
    assert process.wait(timeout=60) == -signal.SIGKILL, f"the run ended before {model} started: not killed"


def test_any_selection_then_the_daily_run_equals_a_full_build(tmp_path: Path) -> None:
    source = generate_raw(tmp_path / "generated", 200, 60, str(DAY_2), seed=38)
    landing = tmp_path / "landing"
    land(source, landing)
    base = Build(tmp_path / "base" / "w.duckdb", tmp_path / "base" / "target", {**VARS, "raw_data_path": str(landing)},
                 write_json=True)  # fmt: skip
    (tmp_path / "base").mkdir()
    base.env = {"SEGMENTS_AS_OF": str(DAY_1)}
    base.run("build", *NO_TESTS)

    land_day_2(landing, tmp_path / "pending")
    full = full_build(tmp_path, "full", landing, DAY_2, tests=False, more_vars=VARS)
    plain = copy_of(base, tmp_path / "plain")
    plain.run("run")
    assert plain.scalar("select count(*) from stg_marketing__load_batches") > full.scalar(
        "select count(*) from stg_marketing__load_batches where batch_name like '%" + str(DAY_1) + "%'"
    ), "day 2 landed no batch"
    assert_same_tables(plain, full, MARTS)

    edited = copy_project(tmp_path / "edited_project")
    model = edited / "models/intermediate/state/tables/int_contact_activity.sql"
    model.write_text("-- edited: slim CI selects this model and its children\n" + model.read_text())
    # Each selection, the project it runs, and how the daily run after it must fold the batch: a selection that
    # rebuilds state models without the run manifest, or a run killed before its commit, makes it a full run.
    partial = "full: a selection rebuilt state models without the run manifest"
    selections: dict[str, tuple[tuple[str, ...], Path | None, str]] = {
        "one_state_model": (("run", "-s", "int_contact_activity"), None, partial),
        "contact_features": (("run", "-s", "contact_features"), None, "delta"),
        "parents_of_the_segments": (("build", "-s", "+contact_segments", *NO_TESTS), None, "committed"),
        "modified_and_children": (
            ("build", "--select", "state:modified+", "--state", str(base.target_path), *NO_TESTS), edited, partial),
        "killed_half_way": ((), None, "full: the last run did not commit its state"),
    }  # fmt: skip
    last_run = "select run_mode, reason, committed_at is not null from int_incremental_runs order by run_number desc"
    for name, (selection, project, expected) in selections.items():
        build = copy_of(base, tmp_path / name, project)
        if selection:
            build.run(*selection)
        else:
            kill_in(build, KILLED_IN)
        if expected == "committed":  # it staged, folded and committed the batch itself: the daily run has none
            folded = ("delta", "only what changed since the last committed run", True)
            assert build.query(last_run + " limit 1") == [folded]
            expected = "delta"
        build.run("run")
        mode, reason, committed = build.query(last_run + " limit 1")[0]
        assert (mode if mode == "delta" else f"{mode}: {reason}", committed) == (expected, True), name
        try:
            assert_same_tables(build, full, MARTS)
            assert_same_tables(build, plain, HISTORY)
        except AssertionError as error:
            pytest.fail(f"{name}: {error}", pytrace=False)

    # After a delta run, a state model selected without the run manifest is rebuilt from every staged row, not
    # folded again with the events that run folded (int_state_delta holds them): it equals the full build's.
    assert plain.scalar("select count(*) from int_state_delta") > 0
    plain.run("run", "-s", "int_contact_activity")
    assert plain.query(last_run + " limit 1")[0][0] == "partial"
    assert_same_tables(plain, full, ("int_contact_activity",))
