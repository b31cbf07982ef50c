"""`segments benchmark` and `segments yardstick` at a small scale: every phase runs and its figures are real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import PROJECT_DIR, SEGMENTS


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
        assert set(phases[name]["predictive_s"]) == {"int_clv_models_fitted", "int_contacts_clv_predicted",
                                                     "clv_model_parameters"}, name  # fmt: skip
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
