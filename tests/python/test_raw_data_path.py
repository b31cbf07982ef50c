"""Bringing your own data: raw_data_path reads <table>.parquet or <table>.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import Build, generate_raw, write_raw


def generate(out: Path, fmt: str, contacts: int = 400) -> None:
    generate_raw(out, contacts, 60, "2026-05-31", seed=7, fmt=fmt)


ACCOUNTING = "source_table, rows_in, rows_kept, rows_rejected, rows_collapsed, rows_erased"


def test_parquet_and_csv_exports_build_to_the_same_models(tmp_path: Path) -> None:
    generate(tmp_path / "csv", "csv")
    generate(tmp_path / "parquet", "parquet")
    results = {}
    for fmt in ("csv", "parquet"):
        build = Build(
            tmp_path / f"{fmt}.duckdb",
            tmp_path / f"target_{fmt}",
            {"as_of": "2026-05-31", "raw_data_path": str(tmp_path / fmt)},
        )
        build.run("build")
        results[fmt] = build.query(f"select {ACCOUNTING} from source_row_accounting order by source_table")
        # CSV files also have their lines: each table's rows are its lines after the header (no blank line
        # or quoted field spans one in these exports); Parquet files have none.
        lines = build.query(
            "select count(file_lines), count(*) filter (where file_lines = rows_in) from source_row_accounting"
        )
        assert lines == ([(8, 8)] if fmt == "csv" else [(0, 0)])
        view = build.query("select sql from duckdb_views() where schema_name = 'raw_files' and view_name = 'events'")
        assert f".{fmt}'" in view[0][0]
    assert results["csv"] == results["parquet"]
    rows_in = {r[0]: r[1] for r in results["csv"]}
    for table in ("contacts", "events", "contact_tags"):
        assert rows_in[table] == pq.read_metadata(tmp_path / "parquet" / f"{table}.parquet").num_rows
    assert rows_in["events"] > 1000


def test_parquet_wins_when_both_formats_exist(tmp_path: Path) -> None:
    generate(tmp_path / "raw", "csv", contacts=50)
    generate(tmp_path / "parquet", "parquet", contacts=50)
    (tmp_path / "parquet" / "events.parquet").rename(tmp_path / "raw" / "events.parquet")
    (tmp_path / "raw" / "events.csv").write_text("this file is not used\n")
    build = Build(
        tmp_path / "w.duckdb", tmp_path / "target", {"as_of": "2026-05-31", "raw_data_path": str(tmp_path / "raw")}
    )
    build.run("build")
    assert build.scalar("select count(*) from stg_marketing__events") > 0


def test_missing_table_fails_with_its_name(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw", {})
    (raw / "events.csv").unlink()
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"as_of": "2026-05-31", "raw_data_path": str(raw)})
    result = build.run("build", expect_success=False)
    assert not result.success
    assert "holds neither events.parquet, events.csv nor a folder events/ of such files" in str(result.exception)


def test_a_folder_named_like_a_glob_pattern_fails_with_its_name(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "exports [2026]", {})
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"as_of": "2026-05-31", "raw_data_path": str(raw)})
    result = build.run("build", expect_success=False)
    assert not result.success
    assert f"raw_data_path '{raw}': a folder whose path holds [, *, ? or ' is not supported" in str(result.exception)


def test_bad_as_of_fails_with_a_clear_message(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw", {})
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"as_of": "31/10/2026", "raw_data_path": str(raw)})
    result = build.run("build", expect_success=False)
    assert not result.success
    messages = str(result.exception) + " ".join(build.failures() if result.result is not None else [])
    assert "as_of must be a YYYY-MM-DD date, got '31/10/2026'" in messages


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_empty_tables_build(tmp_path: Path, fmt: str) -> None:
    raw = write_raw(tmp_path / "raw", {})
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"as_of": "2026-05-31", "raw_data_path": str(raw)})
    build.run("build")
    assert build.query("select sum(rows_in) from source_row_accounting") == [(0,)]


@pytest.mark.parametrize(("hours_ago", "status"), [(2, "pass"), (5 * 24, "error")])
def test_event_freshness_ignores_future_dated_rows(tmp_path: Path, hours_ago: int, status: str) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    stamp = (now - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M:%S")
    raw = write_raw(tmp_path / "raw", {"events": [
        {"event_id": "E1", "contact_id": "C1", "event_type": "page_view", "occurred_at": stamp},
        {"event_id": "E2", "contact_id": "C1", "event_type": "page_view", "occurred_at": "2999-01-01 00:00:00"},
        {"event_id": "E3", "contact_id": "C1", "event_type": "page_view", "occurred_at": "not a timestamp"},
    ]})  # fmt: skip
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"raw_data_path": str(raw)})
    result = build.run("source", "freshness", expect_success=False)
    assert [str(r.status) for r in result.result if str(r.node.resource_type) == "source"] == [status]
