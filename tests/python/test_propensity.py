"""Purchase propensity (python/propensity.py, docs/predictions.md "Purchase propensity").

The functions with stated inputs, then one small generated warehouse whose snapshot days
were recorded by `segments backfill --snapshot-days`: the model trains out of time,
scores the sendable contacts, waits for its schedule, and a label window that overlaps
the features is caught. Last, events after a snapshot day are edited and the snapshot's
feature rows do not move.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pytest
import sklearn
from conftest import SEGMENTS, Build, full_build, generate_raw
from contact_segmentation.backfill import snapshot_days
from contact_segmentation.warehouse import PROJECT_DIR
from propensity import calibration_by_decile, deciles, encode, retrain_reason, score, train

END = dt.date(2026, 10, 31)
EVERY = 60  # snapshot days 60 apart keep the backfill to five builds
HORIZON = 30


def test_deciles_are_sql_ntile_ordered_by_probability_then_key() -> None:
    # 23 rows: ntile(10) gives the first three tiles 3 rows, the other seven 2.
    probability = np.linspace(0, 1, 23)
    keys = np.array([f"C{i:02d}" for i in range(23)])
    got = deciles(probability, keys)
    assert got.tolist() == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10]
    # Ties go by key: C1 before C0 when both are 0.5.
    tied = deciles(np.array([0.5, 0.5] + [0.9] * 18), np.array(["C1", "C0"] + [f"D{i:02d}" for i in range(18)]))
    assert tied[:2].tolist() == [1, 1] and tied[2:].max() == 10
    assert deciles(np.array([0.2, 0.1]), np.array(["B", "A"])).tolist() == [2, 1]


def test_calibration_error_is_the_mean_gap_over_deciles() -> None:
    perfect = np.repeat([0.1, 0.5], 10)
    labels = np.array([1] + [0] * 9 + [1] * 5 + [0] * 5)
    # Ten deciles of two rows: 0.1 predicted in the first five (observed 0.5, 0, 0, 0, 0), 0.5 in the
    # last five (observed 1, 1, 0.5, 0, 0); the gaps 0.4, 0.1 x 4, 0.5, 0.5, 0, 0.5, 0.5 average 0.28.
    error, rows = calibration_by_decile(perfect, labels)
    assert [row["observed"] for row in rows] == [0.5, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.5, 0.0, 0.0]
    assert error == pytest.approx(0.28)
    exact, _ = calibration_by_decile(np.repeat([0.0, 1.0], 10), np.repeat([0, 1], 10))
    assert exact == 0


def test_a_category_unseen_in_training_or_null_is_missing() -> None:
    columns = {"channel": np.array(["email", None, "tv", "direct"], dtype=object), "n": np.array([1, 2, 3, 4])}
    matrix = encode(columns, ["channel", "n"], {"channel": ["direct", "email"]})
    assert matrix[:, 0].tolist()[0] == 1 and matrix[3, 0] == 0
    assert np.isnan(matrix[1, 0]) and np.isnan(matrix[2, 0])
    assert matrix[:, 1].tolist() == [1, 2, 3, 4]


def test_retraining_is_due_on_schedule_or_on_a_changed_model() -> None:
    day = dt.date(2026, 10, 1)
    stored = {"feature_names": json.dumps(["a", "b"]), "sklearn_version": sklearn.__version__,
              "trained_as_of_date": day}  # fmt: skip
    assert retrain_reason(None, day, ["a", "b"], 7) == "no model trained on or before as_of"
    assert retrain_reason(stored, day + dt.timedelta(days=6), ["a", "b"], 7) is None
    assert retrain_reason(stored, day + dt.timedelta(days=7), ["a", "b"], 7) == (
        "the model is 7 days old (propensity_retrain_every_days: 7)")  # fmt: skip
    assert retrain_reason(stored, day, ["a", "b", "c"], 7) == "the feature list changed"
    assert retrain_reason(stored, day, ["b", "a"], 7) is None  # the order of the columns is not the list
    assert "scikit-learn changed" in str(retrain_reason({**stored, "sklearn_version": "0.1"}, day, ["a", "b"], 7))


def synthetic(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Three snapshots of rows / 3 contacts; the chance of the goal rises with `visits`, `noise` says nothing."""
    rng = np.random.default_rng(seed)
    visits = rng.poisson(3, rows).astype(float)
    days = np.array(["2026-01-01", "2026-02-01", "2026-03-01"], dtype="datetime64[D]")
    return {
        "snapshot_date": np.repeat(days, rows // 3),
        "contact_id": np.array([f"C{i:06d}" for i in range(rows)], dtype=object),
        "sample_bucket": rng.integers(0, 10000, rows),
        "visits": visits,
        "noise": rng.random(rows),
        "channel": rng.choice(np.array(["email", "direct", None], dtype=object), rows),
        "expected_orders_30d": np.full(rows, np.nan),
        "has_reached_goal": rng.random(rows) < 1 / (1 + np.exp(3 - visits)),
    }


def test_training_is_out_of_time_deterministic_and_measured() -> None:
    columns = synthetic(9000, seed=1)
    trained, status = train(columns, min_positive_rows=50)
    again, _ = train(synthetic(9000, seed=1), min_positive_rows=50)
    assert trained is not None and again is not None and status == "trained"
    metrics = trained.metrics
    assert metrics["test_snapshot_date"] == "2026-03-01" and metrics["training_snapshots"] == 2
    assert metrics["test_rows"] == 3000 and metrics["training_rows"] + metrics["calibration_rows"] == 6000
    assert 0.17 < metrics["calibration_rows"] / 6000 < 0.23  # sample_bucket a multiple of 5
    # The true chance is a logistic curve of visits: the model ranks well and is calibrated.
    assert metrics["roc_auc"] > 0.8 and metrics["calibration_error"] < 0.05
    assert metrics["top_features"][0]["feature"] == "visits"
    assert metrics["baseline"]["roc_auc"] == pytest.approx(0.5)  # no BG/NBD: everyone 0
    assert trained.features == ["visits", "noise", "channel", "expected_orders_30d"]
    assert np.array_equal(score(trained.artifact, columns), score(again.artifact, columns))


def test_training_refuses_too_little_data() -> None:
    columns = synthetic(300, seed=2)
    one_snapshot = {name: values[columns["snapshot_date"] == columns["snapshot_date"][0]]
                    for name, values in columns.items()}  # fmt: skip
    assert train(one_snapshot, 50) == (None, "1 closed snapshot(s) in the training set, at least 2 needed")
    trained, reason = train(columns, 10_000)
    assert trained is None and reason.endswith("goal-reaching training rows, at least 10000 needed")


# --- A generated warehouse ---------------------------------------------------------------


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_raw(tmp_path_factory.mktemp("propensity") / "raw", 3000, 300, END.isoformat(), seed=7,
                        fmt="parquet")  # fmt: skip


@pytest.fixture(scope="module")
def history(landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The snapshot days of the last 300 days and END, recorded by `segments backfill --snapshot-days`."""
    root = tmp_path_factory.mktemp("propensity_history")
    build = Build(root / "history.duckdb", root / "target", {"raw_data_path": str(landing),
                                                             "propensity_snapshot_every_days": EVERY})  # fmt: skip
    env = {**os.environ, "DBT_DUCKDB_PATH": str(build.db_path), "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    subprocess.run([*SEGMENTS, "backfill", "--start", (END - dt.timedelta(days=299)).isoformat(), "--end",
                    END.isoformat(), "--snapshot-days", "--no-tests", "--target-path", str(root / "backfill"),
                    "--vars", json.dumps(build.vars)], cwd=PROJECT_DIR, env=env, check=True)  # fmt: skip
    return build


def closed_snapshots(as_of: dt.date) -> list[dt.date]:
    days = snapshot_days(as_of - dt.timedelta(days=299), as_of, {"propensity_snapshot_every_days": EVERY})
    return [d for d in days if d != as_of and d + dt.timedelta(days=HORIZON) <= as_of]


def test_the_model_trains_out_of_time_and_scores_every_sendable_contact(history: Build) -> None:
    closed = closed_snapshots(END)
    assert len(closed) >= 3
    (row,) = history.query(f"""
        select is_trained, is_leakage_suspected, test_snapshot_date, training_snapshots, test_rows, roc_auc,
               calibration_error, retrain_reason
        from propensity_model_metrics where trained_as_of_date = date '{END}'
    """)  # fmt: skip
    assert row[:4] == (True, False, closed[-1], len(closed) - 1)
    test_contacts = history.scalar(
        f"select count(*) from int_propensity_snapshots where snapshot_date = '{closed[-1]}'")  # fmt: skip
    assert row[4] == test_contacts and row[5] > 0.6 and row[6] < 0.1
    sendable, scored, wrong, per_decile = history.query("""
        select count(*) filter (where is_email_sendable), count(purchase_propensity_30d),
               count(*) filter (where (purchase_propensity_30d is null) = is_email_sendable
                                   or (purchase_propensity_decile is null) = is_email_sendable),
               list(distinct purchase_propensity_decile order by purchase_propensity_decile)
                   filter (where purchase_propensity_decile is not null)
        from contact_features
    """)[0]  # fmt: skip
    assert scored == sendable > 1000 and wrong == 0 and per_decile == list(range(1, 11))
    # The segment: sendable contacts at or above propensity_likely_min (0.3).
    members, expected = history.query("""
        select count(*) filter (where segments.seg_likely_to_purchase_30d),
               count(*) filter (where features.purchase_propensity_30d >= 0.3 and features.is_email_sendable)
        from contact_segments as segments inner join contact_features as features using (contact_id)
    """)[0]  # fmt: skip
    assert members == expected


def test_the_stored_model_scores_until_it_is_due_and_a_leak_is_caught(history: Build, tmp_path: Path) -> None:
    copy = Build(history.copy_to(tmp_path / "later.duckdb"), tmp_path / "target", dict(history.vars))
    later = END + dt.timedelta(days=6)
    copy.env = {"SEGMENTS_AS_OF": later.isoformat()}
    copy.run("run")
    versions = copy.query("select model_version from int_propensity_models_trained order by 1")
    assert versions[-1] == (f"propensity-{END}",)
    assert copy.scalar("select count(distinct model_version) from int_contacts_propensity_scored") == 1
    assert copy.scalar("select min(model_version) from int_contacts_propensity_scored") == f"propensity-{END}"
    # A week after END it is due. With the label window moved 30 days back it overlaps the features:
    # the test AUC jumps, the model is flagged, and it scores no one.
    leaky = Build(copy.copy_to(tmp_path / "leaky.duckdb"), tmp_path / "leaky_target",
                  {**history.vars, "propensity_label_offset_days": -HORIZON})  # fmt: skip
    leaky.env = {"SEGMENTS_AS_OF": (END + dt.timedelta(days=7)).isoformat()}
    leaky.run("run")
    real = history.scalar(f"select roc_auc from propensity_model_metrics where trained_as_of_date = date '{END}'")
    (flagged, auc, reason) = leaky.query(
        "select is_leakage_suspected, roc_auc, retrain_reason from propensity_model_metrics "
        "order by trained_as_of_date desc limit 1")[0]  # fmt: skip
    assert reason == "the model is 7 days old (propensity_retrain_every_days: 7)"
    assert flagged and auc > 0.95 and auc > real + 0.2
    assert leaky.scalar("select count(purchase_propensity_30d) from contact_features") == 0


def edited_after(landing: Path, day: dt.date, out: Path) -> Path:
    """The landing folder with the events a day or more after `day` rewritten: each becomes a purchase of 999.00
    by the next contact, and a copy of it lands one day later. A day's margin: raw times carry UTC offsets of up
    to 14 hours, and the rows whose time does not parse here are left as they are."""
    shutil.copytree(landing, out)
    source = f"read_parquet('{landing / 'events.parquet'}')"
    later = f"coalesce(try_cast(occurred_at as timestamptz) >= '{day + dt.timedelta(days=2)} 00:00:00+00', false)"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"""
            copy (
                select * from {source} where not {later}
                union all
                select * replace ('purchase' as event_type, 'X' || event_id as order_id, '999.00' as revenue,
                                  'USD' as currency, 'C' || lpad(cast(try_cast(substr(contact_id, 2) as int) + 1
                                  as varchar), 7, '0') as contact_id)
                from {source} where {later}
                union all
                select * replace ('Y' || event_id as event_id,
                                  strftime(try_cast(occurred_at as timestamptz) + interval 1 day, '%Y-%m-%d %H:%M:%S')
                                  as occurred_at)
                from {source} where {later}
            ) to '{out / "events.parquet"}' (format parquet)
        """)  # fmt: skip
    return out


def test_events_after_a_snapshot_day_change_no_feature_row_of_it(landing: Path, tmp_path: Path) -> None:
    day = closed_snapshots(END)[-1]
    edited = edited_after(landing, day, tmp_path / "edited")
    with duckdb.connect() as con:
        after = f"try_cast(occurred_at as timestamp) >= '{day + dt.timedelta(days=2)}'"
        purchases = [con.execute(f"select count(*) filter (where event_type = 'purchase' and {after}), count(*) "
                                 f"from read_parquet('{folder / 'events.parquet'}')").fetchall()[0]
                     for folder in (landing, edited)]  # fmt: skip
    assert purchases[1][0] > purchases[0][0] + 1000 and purchases[1][1] > purchases[0][1]
    more = {"propensity_snapshot_every_days": EVERY}
    builds = [full_build(tmp_path, name, folder, day, tests=False, more_vars=more)
              for name, folder in (("original", landing), ("edited", edited))]  # fmt: skip
    rows = [build.query("select * from int_propensity_snapshots order by contact_id") for build in builds]
    assert len(rows[0]) > 1000 and {row[1] for row in rows[0]} == {day}
    assert rows[0] == rows[1]
