"""`segments benchmark` and `segments yardstick` at a small scale: every phase runs and its figures are real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS
from contact_segmentation.cost_curve import cost_curve, curve_rows, curve_targets, yardstick_growth


def test_benchmark_runs_every_phase_and_reports_it(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            *SEGMENTS,
            "benchmark",
            "--contacts",
            "2000",
            "--days",
            "30",
            "--month-days",
            "1",
            "--data",
            str(tmp_path / "data"),
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(out),
            "--top",
            "5",
            "--rules-cost",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())

    phases = {p["name"]: p for p in result["phases"]}
    assert list(phases) == [
        "yardstick", "full", "daily", "daily_lean", "test", "no_batch", "month_start", "month_day_1"
    ]  # fmt: skip
    for phase in phases.values():
        assert phase["wall_s"] > 0.05 and 0.01 < phase["peak_rss_gib"] < 8
        assert 0 < len(phase["models"]) <= 5
    for name in ("full", "daily"):  # the predictive models' times are reported whatever their rank
        assert set(phases[name]["predictive_s"]) == {
            "int_clv_models_fitted", "int_contacts_clv_predicted", "clv_model_parameters",
            "int_contacts_propensity_features", "int_propensity_snapshots", "int_propensity_models_trained",
            "int_contacts_propensity_scored"}, name  # fmt: skip
    assert "predictive models: int_clv_models_fitted" in done.stdout
    assert [m["node"] for m in phases["yardstick"]["models"]][:2] == ["yardstick_events", "yardstick_messages"]
    figures = result["figures"]
    assert figures["full_over_yardstick"] == round(phases["full"]["wall_s"] / phases["yardstick"]["wall_s"], 3)
    assert figures["daily_over_yardstick"] == round(phases["daily"]["wall_s"] / phases["yardstick"]["wall_s"], 3)
    assert figures["daily_over_daily_lean"] == round(phases["daily"]["wall_s"] / phases["daily_lean"]["wall_s"], 3)
    assert "daily_over_daily_lean" in done.stdout
    assert result["month_seconds_per_day"] == [phases["month_day_1"]["wall_s"]]
    assert result["no_batch_over_daily"] == round(phases["no_batch"]["wall_s"] / phases["daily"]["wall_s"], 3)
    assert "no_batch_over_daily" in done.stdout
    assert result["targets"]["peak_rss_gib"]["met"] == (figures["peak_rss_gib"] <= 3)

    with duckdb.connect() as con:
        events = con.execute(f"select count(*) from '{tmp_path / 'data' / 'events' / '*.parquet'}'").fetchone()
        last_day = con.execute(
            f"select count(*) from '{tmp_path / 'data' / 'events' / '2026-10-31.parquet'}'"
        ).fetchone()
    assert events is not None and last_day is not None
    assert result["data"]["rows"]["events"] == events[0] > 5_000
    assert result["data"]["last_day_events"] == last_day[0] > 0
    assert "full_over_yardstick" in done.stdout and f"{events[0]:,} events" in done.stdout

    # The daily run folded the last day's batch into the state; the no-batch run moved the marts a day on and
    # registered no batch.
    with duckdb.connect(str(tmp_path / "work" / "main" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from stg_marketing__events").fetchone() == (events[0],)
        assert con.execute("select distinct as_of_date::varchar from contact_segments").fetchall() == [("2026-11-01",)]
        runs = con.execute(
            "select run_mode, as_of_date::varchar, last_registered_batch from int_incremental_runs"
            " order by run_started_at"
        ).fetchall()
        assert [run[:2] for run in runs] == [("full", "2026-10-30"), ("delta", "2026-10-31"), ("delta", "2026-11-01")]
        assert runs[2][2] == runs[1][2]

    # The lean run: the same day from the same full build, without the traits and the segments that use
    # sequences, habits, returns or traits, and every other segment.
    lean_db = tmp_path / "work" / "lean" / "warehouse.duckdb"
    with duckdb.connect(str(lean_db), read_only=True) as con:
        lean_columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_name = 'contact_segments'"
            ).fetchall()
        ]
        assert con.execute(
            "select column_name from information_schema.columns where table_name = 'contact_traits'"
            " order by ordinal_position"
        ).fetchall() == [("contact_id",), ("as_of_date",)]
    left_out = {
        "seg_viewed_not_carted_48h",
        "seg_opened_then_bought_7d",
        "seg_monthly_buyers_3_of_6",
        "seg_returned_after_60d",
        "seg_shoe_big_spenders",
    }
    assert not left_out & set(lean_columns) and {"seg_vip", "seg_cart_abandoners"} <= set(lean_columns)


def test_yardstick_help_and_a_missing_folder(tmp_path: Path) -> None:
    helped = subprocess.run([*SEGMENTS, "yardstick", "--help"], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert helped.returncode == 0 and "--memory-limit" in helped.stdout
    missing = subprocess.run(
        [
            *SEGMENTS,
            "yardstick",
            "--data",
            str(tmp_path),
            "--as-of",
            "2026-10-31",
            "--db",
            str(tmp_path / "y.duckdb"),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and f"no events under {tmp_path}" in missing.stderr


def test_peak_rss_counts_a_child_that_is_never_waited_for() -> None:
    """Spark's JVM is a child dbt never waits for: the kernel's peak leaves it out, the sampled tree does not.
    The parent holds little memory; its child holds 400 MiB for two seconds and is left running. Measured from
    a small process of its own: after fork and exec the kernel's peak starts at the forking process's size, and
    this test's worker may be over a GiB."""
    child = "import time; held = bytearray(400 * 1024 * 1024); time.sleep(2)"
    parent = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {child!r}]); time.sleep(2.5)"
    measure = (
        "import sys; from contact_segmentation.benchmark import run_measured; "
        f"print(run_measured('rss', [sys.executable, '-c', {parent!r}], {{}}, quiet=True)[1])"
    )
    done = subprocess.run([sys.executable, "-c", measure], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert 0.39 < float(done.stdout.strip().splitlines()[-1]) < 0.6


def sized_result(contacts: int, events: int, seconds: dict[str, float], rss: float, yardstick: float = 1.0) -> dict:
    """A benchmark result at one size, as `segments benchmark --json` writes it (the fields the curve reads)."""
    phases = [{"name": "yardstick", "wall_s": yardstick, "peak_rss_gib": 9.0}]  # the yardstick's RSS is not ours
    phases += [{"name": name, "wall_s": s, "peak_rss_gib": rss} for name, s in seconds.items()]
    return {"contacts": contacts, "data": {"rows": {"events": events}}, "warehouse_bytes": 2 * 1024**3,
            "phases": phases}  # fmt: skip


def test_the_cost_curve_compares_time_per_million_events_across_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = [
        sized_result(5_000_000, 250_000_000, {"full": 1000.0, "daily": 400.0, "no_batch": 100.0}, 2.9, 300.0),
        sized_result(1_000_000, 50_000_000, {"full": 190.0, "daily": 88.0, "no_batch": 20.0}, 2.3, 50.0),
    ]
    rows = curve_rows(results)
    assert [row["contacts"] for row in rows] == [1_000_000, 5_000_000]
    # 190 s over 50M events: 3.8 s per million; 1000 s over 250M: 4.0 (1.053 x). Daily 1.76 -> 1.6 (0.909 x);
    # no-batch 0.4 -> 0.4 (1.0 x).
    assert [rows[0][run]["s_per_million_events"] for run in ("full", "daily", "no_batch")] == [3.8, 1.76, 0.4]
    # The yardstick, a reference and no target: 50 s over 50M events, 1.0 s per million; 300 s over 250M, 1.2.
    assert [row["yardstick"]["s_per_million_events"] for row in rows] == [1.0, 1.2]
    assert yardstick_growth(rows) == 1.2
    targets = curve_targets(rows)
    assert {name: t["value"] for name, t in targets.items()} == {
        "full_per_million_growth": 1.053, "daily_per_million_growth": 0.909, "no_batch_per_million_growth": 1.0,
        "peak_rss_gib": 2.9}  # fmt: skip
    assert all(t["met"] for t in targets.values())
    slower = curve_targets(curve_rows([results[1], sized_result(5_000_000, 250_000_000,
                                                                {"full": 1200.0, "daily": 400.0, "no_batch": 100.0},
                                                                3.1)]))  # fmt: skip
    assert slower["full_per_million_growth"] == {"target": 1.25, "value": 1.263, "met": False}
    assert slower["peak_rss_gib"]["met"] is False
    svg = tmp_path / "curve.svg"
    assert cost_curve(results, svg) == 0
    drawn = svg.read_text()
    assert drawn.count("<path") >= 4 and "seconds per million events" in drawn and "yardstick" in drawn
    written = json.loads(svg.with_suffix(".json").read_text())
    assert written["targets"]["full_per_million_growth"]["met"] is True
    assert written["yardstick_per_million_growth"] == 1.2 and "yardstick" not in written["targets"]
    out = capsys.readouterr().out
    assert "full_per_million_growth" in out and "5,000,000" in out
    assert "yardstick_per_million_growth   1.200  (no target: plain DuckDB" in out


def test_sizes_choose_their_own_folders() -> None:
    done = subprocess.run([*SEGMENTS, "benchmark", "--sizes", "100,200", "--data", "x"], cwd=PROJECT_DIR,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2 and "--data, --work and --json are chosen per size with --sizes" in done.stderr
