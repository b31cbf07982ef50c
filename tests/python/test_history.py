"""Segment history: recorded once per as_of, moving forward, surviving rebuilds, erasure-purged."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS, Build, copy_project, generate_raw, table_rows

HISTORY = ("segment_membership_changes", "segment_daily_sizes")


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_raw(tmp_path_factory.mktemp("history") / "raw", 400, 60, "2026-05-31", seed=5)


def at(build: Build, day: str) -> Build:
    """The build as of `day`, passed as SEGMENTS_AS_OF: dbt then reuses its parsed project (a changed
    --vars re-parses all of it)."""
    build.env = {"SEGMENTS_AS_OF": day}
    return build


def counts(build: Build) -> list[tuple[int, int]]:
    return build.query("select (select count(*) from segment_membership_changes), "
                       "(select count(*) from segment_daily_sizes)")  # fmt: skip


def members_from_history(build: Build) -> set[tuple[str, str]]:
    rows = build.query("""
        select contact_id, segment from (
            select *, row_number() over (partition by contact_id, segment order by as_of_date desc) as n
            from segment_membership_changes
        ) where n = 1 and change = 'entered'
    """)
    return {(r[0], r[1]) for r in rows}


def members_now(build: Build) -> set[tuple[str, str]]:
    columns = [r[0] for r in build.query("select column_name from information_schema.columns where table_name = "
                                         "'contact_segments' and column_name like 'seg_%'")]  # fmt: skip
    found: set[tuple[str, str]] = set()
    for column in columns:
        if column.endswith(("_holdout", "_split")):
            continue
        found |= {(r[0], column[4:]) for r in build.query(f"select contact_id from contact_segments where {column}")}
    return found


def test_history_is_recorded_once_per_day_and_only_forward(raw: Path, tmp_path: Path) -> None:
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"raw_data_path": str(raw)}, reuse_manifest=True)
    at(build, "2026-05-20").run("build")
    first = counts(build)
    assert first[0][0] > 100 and build.query("select count(distinct change) from segment_membership_changes") == [(1,)]

    # Skipping days: 2026-05-25 compares with 2026-05-20.
    at(build, "2026-05-25").run("build")
    second = counts(build)
    assert second[0][1] == 2 * first[0][1]
    assert members_from_history(build) == members_now(build)

    # The same as_of again adds nothing.
    at(build, "2026-05-25").run("build")
    assert counts(build) == second

    # A point-in-time rebuild of an earlier day rebuilds the marts but leaves history alone.
    at(build, "2026-05-22").run("build")
    assert counts(build) == second
    assert build.scalar("select distinct as_of_date::varchar from contact_segments") == "2026-05-22"

    # --full-refresh rebuilds everything else but appends to history instead of wiping it.
    at(build, "2026-05-31").run("build", "--full-refresh")
    third = counts(build)
    assert third[0][1] == 3 * first[0][1] and third[0][0] > second[0][0]
    assert members_from_history(build) == members_now(build)
    days = build.query("select distinct as_of_date::varchar from segment_daily_sizes order by 1")
    assert days == [("2026-05-20",), ("2026-05-25",), ("2026-05-31",)]


def test_a_day_a_run_left_unmarked_is_recorded_again_whole(raw: Path, tmp_path: Path) -> None:
    """The run manifest marks a day recorded (history_recorded_at) only when the run built every history model. A
    run that recorded 2026-05-25 in segment_membership_changes but not in segment_daily_sizes (left out here, as a
    run stopped between them would) leaves the day unmarked; the next run deletes those rows and records the day
    again in every history model, equal to a run that was never stopped. A day no run finished (2026-05-27) is
    left out of every history model when another day after the last recorded one is (2026-05-26, even one before
    it): equal to a run that skipped it."""
    history = (*HISTORY, "segment_group_changes")
    straight = Build(tmp_path / "s.duckdb", tmp_path / "s_target", {"raw_data_path": str(raw)}, reuse_manifest=True)
    no_tests = ("--exclude", "resource_type:test", "resource_type:unit_test")
    at(straight, "2026-05-20").run("build", *no_tests)
    at(straight, "2026-05-25").run("run")
    stopped = Build(tmp_path / "w.duckdb", tmp_path / "w_target", {"raw_data_path": str(raw)}, reuse_manifest=True)
    at(stopped, "2026-05-20").run("build", *no_tests)
    at(stopped, "2026-05-25").run("run", "--exclude", "segment_daily_sizes")
    marked = "select as_of_date::varchar, history_recorded_at is not null from int_incremental_runs order by run_number"
    assert stopped.query(marked) == [("2026-05-20", True), ("2026-05-25", False)]
    assert stopped.scalar("select count(*) from segment_membership_changes where as_of_date = '2026-05-25'") > 0
    assert stopped.scalar("select count(*) from segment_daily_sizes where as_of_date = '2026-05-25'") == 0
    at(stopped, "2026-05-25").run("run")
    assert stopped.query(marked)[-1] == ("2026-05-25", True)
    for table in history:
        assert table_rows(stopped, table) == table_rows(straight, table), table
    assert stopped.scalar("select count(distinct as_of_date) from segment_daily_sizes") == 2

    at(stopped, "2026-05-27").run("run", "--exclude", "segment_daily_sizes")
    assert stopped.scalar("select count(*) from segment_membership_changes where as_of_date = '2026-05-27'") > 0
    at(stopped, "2026-05-26").run("run")  # a later day than the last recorded, earlier than the unfinished one
    at(straight, "2026-05-26").run("run")
    for table in history:
        assert table_rows(stopped, table) == table_rows(straight, table), table
    assert stopped.scalar("select count(distinct as_of_date) from segment_membership_changes") == 3


def test_reset_needs_confirmation_and_then_drops_history(raw: Path, tmp_path: Path) -> None:
    # Through the CLI only: an in-process dbt would hold the DuckDB file open.
    env = {**os.environ, "DBT_DUCKDB_PATH": str(tmp_path / "w.duckdb")}

    def dbt(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(PROJECT_DIR),
                   "--profiles-dir", str(PROJECT_DIR), "--target-path", str(tmp_path / "target"),
                   "--vars", f"{{raw_data_path: {raw}, as_of: '2026-05-20'}}"]  # fmt: skip
        return subprocess.run(command, env=env, capture_output=True, text=True)

    # The tables to reset (the tests of a build run elsewhere).
    assert dbt("build", "--exclude", "resource_type:test", "resource_type:unit_test").returncode == 0
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        marked = con.execute("select count(*) from int_incremental_runs where history_recorded_at is not null")
        assert marked.fetchone() == (1,)
    refused = dbt("run-operation", "reset_segment_history")
    assert refused.returncode != 0 and "pass --args '{confirm: true}'" in refused.stdout
    confirmed = dbt("run-operation", "reset_segment_history", "--args", "{confirm: true}")
    assert confirmed.returncode == 0, confirmed.stdout
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        unmarked = con.execute("select count(*) from int_incremental_runs where history_recorded_at is not null")
        assert unmarked.fetchone() == (0,), "the manifest still marks days recorded: a backfill would skip them"
    assert not tables & set(HISTORY) and "contact_segments" in tables


def test_erased_contact_leaves_no_history(raw: Path, tmp_path: Path) -> None:
    local = tmp_path / "raw"
    local.mkdir()
    for file in raw.iterdir():
        (local / file.name).write_bytes(file.read_bytes())
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"raw_data_path": str(local)}, reuse_manifest=True)
    at(build, "2026-05-20").run("build")
    victim = build.scalar("select contact_id from segment_membership_changes order by contact_id limit 1")
    with (local / "erasure_requests.csv").open("a", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([victim, "", "2026-05-30 00:00:00"])
    memberships = {r[0] for r in build.query(f"select segment from segment_membership_changes "
                                             f"where contact_id = '{victim}'")}  # fmt: skip
    assert memberships
    # An earlier version's tables of models the project no longer has (int_state_commits, int_events_reopened),
    # beside a table of the user's own in the same schema.
    with duckdb.connect(str(build.db_path)) as con:
        con.execute(f"create table main.int_state_commits as select '{victim}' as contact_id")
        con.execute(f"create view main.int_events_reopened as select '{victim}' as contact_id")
        con.execute(f"create table main.crm_notes as select '{victim}' as contact_id")
        # The work tables a stopped Spark run leaves beside a model (drop_interrupted_run_tables), and a
        # table of the user's own with such a name beside no model.
        con.execute(f"create table main.int_contact_activity__new as select '{victim}' as contact_id")
        con.execute(f"create table main.int_events_judged__candidates as select '{victim}' as contact_id")
        con.execute(f"create table main.crm_notes__new as select '{victim}' as contact_id")
    at(build, "2026-05-21").run("build")
    for table in ("segment_membership_changes", "contact_segments", "contact_segments_snapshot"):
        assert build.query(f"select count(*) from {table} where contact_id = '{victim}'") == [(0,)], table
    left = {r[0] for r in build.query("select table_name from information_schema.tables where table_schema = 'main'")}
    assert not left & {"int_state_commits", "int_events_reopened"}, "a retired model's relation was left"
    assert not left & {"int_contact_activity__new", "int_events_judged__candidates"}, "a work table was left"
    assert {"crm_notes", "crm_notes__new"} <= left, "a relation the project never built was dropped"
    erased = dict(build.query("select segment, erased from segment_daily_sizes where as_of_date = '2026-05-21'"))
    assert {s for s, n in erased.items() if n} == memberships
    assert set(erased.values()) == {0, 1}


def test_backfill_resumes_without_duplicates(raw: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DBT_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    command = [*SEGMENTS, "backfill", "--vars", f"{{raw_data_path: {raw}}}",
               "--target-path", str(tmp_path / "target")]  # fmt: skip

    def backfill(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)

    # Every other day, the first with dbt seed + run: 27 and 29 May.
    first = backfill("--start", "2026-05-27", "--end", "2026-05-30", "--every", "2", "--no-tests")
    assert first.returncode == 0, first.stderr
    assert "[2/2] 2026-05-29 recorded" in first.stdout
    # As if interrupted: the same range, extended, builds only what is missing (31 May, with dbt build).
    second = backfill("--start", "2026-05-27", "--end", "2026-05-31", "--every", "2")
    assert second.returncode == 0, second.stderr
    assert "3 days, 2 already recorded, 1 to build" in second.stdout
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {})
    assert build.query("select list(distinct as_of_date::varchar order by as_of_date::varchar), "
                       "count(*) = count(distinct segment_daily_size_id) from segment_daily_sizes") == [
        (["2026-05-27", "2026-05-29", "2026-05-31"], True)]  # fmt: skip
    # Each day ran on the one parse with its own as_of: the marts are those of the last day.
    assert build.query("select distinct as_of_date::varchar from contact_segments") == [("2026-05-31",)]
    backwards = backfill("--start", "2026-05-01", "--end", "2026-05-02")
    assert backwards.returncode == 2 and "only moves forward" in backwards.stderr
    skipped = backfill("--start", "2026-05-01", "--end", "2026-05-02", "--skip-older")
    assert skipped.returncode == 0, skipped.stderr
    assert "2 before the last recorded day 2026-05-31 skipped, 0 to build" in skipped.stdout


def test_backfill_help_and_bad_arguments() -> None:
    run = [*SEGMENTS, "backfill"]
    assert "--start" in subprocess.run([*run, "--help"], cwd=PROJECT_DIR, capture_output=True, text=True).stdout
    bad = subprocess.run([*run, "--start", "2026-05-02", "--end", "2026-05-01"], cwd=PROJECT_DIR,
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "is before --start" in bad.stderr
    bad_date = subprocess.run([*run, "--start", "May 1", "--end", "2026-05-01"], cwd=PROJECT_DIR,
                              capture_output=True, text=True)  # fmt: skip
    assert bad_date.returncode == 2 and "expected a YYYY-MM-DD date" in bad_date.stderr
    bad_step = subprocess.run([*run, "--start", "2026-05-01", "--end", "2026-05-02", "--every", "0"],
                              cwd=PROJECT_DIR, capture_output=True, text=True)  # fmt: skip
    assert bad_step.returncode == 2 and "--every must be 1 or more" in bad_step.stderr


def test_a_node_named_like_a_retired_model_is_never_dropped(tmp_path: Path) -> None:
    """drop_retired_models drops only relations no node of the graph builds: a host project's own model that
    carries a retired name (int_events_reopened here) survives a run that does not build it."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(PROJECT_DIR / "seeds" / "demo", project / "seeds" / "demo")
    (project / "models" / "int_events_reopened.sql").write_text("select 1 as host_column\n")
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {}, project)
    build.run("run", "-s", "int_events_reopened")
    build.run("seed", "-s", "channel_groupings")  # on-run-start runs again; the model is not selected
    assert build.query("select host_column from int_events_reopened") == [(1,)]
