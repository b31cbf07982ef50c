"""scripts/benchmark.py at a small scale: every phase runs and its figures are real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import PROJECT_DIR


def test_benchmark_runs_every_phase_and_reports_it(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "scripts/benchmark.py", "--contacts", "3000", "--days", "30", "--data", str(tmp_path / "data"),
         "--work", str(tmp_path / "work"), "--json", str(out), "--top", "5"],
        cwd=PROJECT_DIR, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())

    phases = {p["name"]: p for p in result["phases"]}
    assert list(phases) == ["full", "incremental", "test"]
    for phase in phases.values():
        assert phase["wall_s"] > 0.5 and 0.05 < phase["peak_rss_gib"] < 8
        assert 0 < len(phase["models"]) <= 5
    assert result["incremental_over_full"] == round(phases["incremental"]["wall_s"] / phases["full"]["wall_s"], 3)
    assert any(m["node"].endswith("base_marketing__events") for m in phases["full"]["models"])

    with duckdb.connect() as con:
        events = con.execute(f"select count(*) from '{tmp_path / 'data' / 'events.parquet'}'").fetchone()
        last_day = con.execute(
            f"select count(*) from '{tmp_path / 'data' / 'events.parquet'}' where occurred_at like '2026-10-31%'"
        ).fetchone()
    assert events is not None and last_day is not None
    assert result["data"]["rows"]["events"] == events[0] > 10_000
    assert result["data"]["last_day_events"] == last_day[0] > 0
    assert "incremental / full:" in done.stdout and f"{events[0]:,} events" in done.stdout

    # The incremental day staged the last day's events and moved the marts to it.
    with duckdb.connect(str(tmp_path / "work" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from base_marketing__events").fetchone() == (events[0],)
        assert con.execute("select distinct as_of_date::varchar from contact_segments").fetchall() == [("2026-10-31",)]
