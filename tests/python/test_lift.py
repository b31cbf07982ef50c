"""Lift on planted effects, A/B splits and lift at a past as_of (docs/segments.md "Lift", "Splits").

One data set, built by the test: 100 experiments of 400 contacts each (first_name x00 ..
x99), each the segment exp<k> with a 50 % holdout. A contact's group is recomputed here
from the holdout hash. After entering on 2026-03-01, treatment members buy within 14 days
with probability p x (1 + L) = 0.2 x 1.5 and holdout members with p = 0.2: a planted
relative lift L = 0.5. Clicks are planted with the same probability in both groups: no
effect. A 101st segment, everyone, has a 20 % holdout and splits {a: 50, b: 30, c: 20}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from conftest import Build, copy_project, write_raw
from scipy.stats import chi2_contingency, pearsonr

SEGMENT_FILE = Path("models/marts/segments/_segments__models.yml")
ENTRY = dt.date(2026, 3, 1)
WINDOW = 14
EXPERIMENTS, PER_EXPERIMENT = 100, 400
P, L = 0.2, 0.5
SPLITS = {"a": 50, "b": 30, "c": 20}
VARS = {"clv_enabled": False}


def bucket(text: str) -> int:
    """The project's stable_bucket: the first 8 hex digits of the MD5, modulo 10,000."""
    return int(hashlib.md5(text.encode()).hexdigest()[:8], 16) % 10_000


def split_of(contact_id: str, segment: str) -> str:
    edge, point = 0, bucket(f"{contact_id}:{segment}:split")
    for group, share in SPLITS.items():
        edge += share * 100
        if point < edge:
            return group
    raise AssertionError("shares sum to 100")


def planted() -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """The landing tables, and per contact: experiment, holdout, purchase day and click day (or None)."""
    rng = random.Random(20261206)
    contacts, events, truth = [], [], {}
    for k in range(EXPERIMENTS):
        for i in range(PER_EXPERIMENT):
            cid = f"E{k:02d}{i:03d}"
            held = bucket(f"{cid}:exp{k:02d}") < 5_000
            bought = (
                ENTRY + dt.timedelta(days=1 + rng.randrange(WINDOW))
                if rng.random() < P * (1 if held else 1 + L)
                else None
            )
            clicked = ENTRY + dt.timedelta(days=1 + rng.randrange(WINDOW)) if rng.random() < P else None
            truth[cid] = {"k": k, "held": held, "bought": bought, "clicked": clicked}
            contacts.append({"contact_id": cid, "email": f"{cid.lower()}@example.com", "first_name": f"x{k:02d}",
                             "consent_status": "subscribed", "created_at": "2026-01-15 09:00:00",
                             "updated_at": "2026-01-15 09:00:00"})  # fmt: skip
            if bought:
                events.append({"event_id": f"P{cid}", "contact_id": cid, "event_type": "purchase",
                               "occurred_at": f"{bought} 10:00:00", "order_id": f"O{cid}", "quantity": 1,
                               "revenue": "20.00", "currency": "EUR"})  # fmt: skip
            if clicked:
                events.append({"event_id": f"C{cid}", "contact_id": cid, "event_type": "email_clicked",
                               "occurred_at": f"{clicked} 11:00:00", "campaign_id": "spring",
                               "message_id": f"M{cid}"})  # fmt: skip
    return {"contacts": contacts, "events": events}, truth


def segment_file(project: Path) -> None:
    """The experiments and `everyone` instead of the project's segments, with their contract columns."""
    path = project / SEGMENT_FILE
    doc = yaml.safe_load(path.read_text())
    model = doc["models"][0]
    segments: list[dict[str, Any]] = [
        {"name": f"exp{k:02d}", "owner": "test", "email_audience": False, "holdout_pct": 50,
         "rule": {"column": "first_name", "op": "=", "value": f"x{k:02d}"}}
        for k in range(EXPERIMENTS)
    ]  # fmt: skip
    segments.append({"name": "everyone", "owner": "test", "email_audience": False, "holdout_pct": 20,
                     "splits": SPLITS, "rule": {"column": "first_name", "op": "is not null"}})  # fmt: skip
    model["config"]["meta"]["segments"] = segments
    columns = [c for c in model["columns"] if not c["name"].startswith("seg_")]
    for segment in segments:
        columns.append({"name": f"seg_{segment['name']}", "data_type": "boolean", "description": "An experiment."})
        columns.append({"name": f"seg_{segment['name']}_holdout", "data_type": "boolean", "description": "Held out."})
    columns.append({"name": "seg_everyone_split", "data_type": "varchar", "description": "The A/B group."})
    model["columns"] = columns
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_lift_on_planted_effects_splits_and_a_past_as_of(tmp_path: Path) -> None:
    """One build, recorded on 2026-03-01 (the entries) and built on 2026-03-15 (every window closed)."""
    project = copy_project(tmp_path / "project")
    segment_file(project)
    tables, truth = planted()
    raw = write_raw(tmp_path / "raw", tables)
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"raw_data_path": str(raw), **VARS}, project_dir=project)
    build.env = {"SEGMENTS_AS_OF": ENTRY.isoformat()}
    build.run("build", "--exclude", "resource_type:test", "resource_type:unit_test")
    splits_on_entry = dict(build.query("select contact_id, seg_everyone_split from contact_segments"))
    build.env = {"SEGMENTS_AS_OF": (ENTRY + dt.timedelta(days=WINDOW)).isoformat()}
    build.run("build")
    kept = dict(build.query("select event_type, count(*) from int_events_resolved group by event_type"))
    assert kept == {"purchase": sum(bool(t["bought"]) for t in truth.values()),
                    "email_clicked": sum(bool(t["clicked"]) for t in truth.values())}  # fmt: skip

    check_planted_lift(build, truth)
    check_splits(build, truth, splits_on_entry)
    check_no_effect(build, truth, tmp_path / "target_clicks")
    check_past_as_of(build, truth)


def lift_rows(build: Build) -> dict[str, dict[str, Any]]:
    with build.connect() as con:
        cursor = con.execute("select * from segment_lift where segment like 'exp%'")
        names = [d[0] for d in cursor.description]
        return {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def check_planted_lift(build: Build, truth: dict[str, dict[str, Any]]) -> None:
    rows = lift_rows(build)
    assert len(rows) == EXPERIMENTS
    covered_relative = covered_absolute = significant = 0
    for k in range(EXPERIMENTS):
        mine = [t for t in truth.values() if t["k"] == k]
        row = rows[f"exp{k:02d}"]
        # Every count is the planted one: entries per group, and buyers within the window.
        assert (row["group_name"], row["reference_group"], row["goal"]) == ("treatment", "holdout", "purchase")
        assert row["members"] == sum(not t["held"] for t in mine)
        assert row["reference_members"] == sum(t["held"] for t in mine)
        assert row["converters"] == sum(bool(t["bought"]) and not t["held"] for t in mine)
        assert row["reference_converters"] == sum(bool(t["bought"]) and t["held"] for t in mine)
        assert row["members"] + row["reference_members"] == PER_EXPERIMENT and row["open_members"] == 0
        covered_relative += row["relative_lift_lower"] <= L <= row["relative_lift_upper"]
        covered_absolute += row["absolute_lift_lower"] <= P * L <= row["absolute_lift_upper"]
        significant += row["is_significant"]
    print(f"planted L={L}: relative interval covers it in {covered_relative}/100, absolute (p*L) in "
          f"{covered_absolute}/100, significant in {significant}/100")  # fmt: skip
    assert covered_relative >= 90
    assert covered_absolute >= 90


def check_no_effect(build: Build, truth: dict[str, dict[str, Any]], target: Path) -> None:
    clicks = Build(build.db_path, target, {**build.vars, "lift_goal": "email_clicked"},
                   project_dir=build.project_dir, env=build.env)  # fmt: skip
    clicks.run("run", "--select", "segment_lift_cohorts", "segment_lift")
    rows = lift_rows(clicks)
    significant = 0
    for k in range(EXPERIMENTS):
        mine = [t for t in truth.values() if t["k"] == k]
        row = rows[f"exp{k:02d}"]
        assert row["goal"] == "email_clicked"
        assert row["converters"] == sum(bool(t["clicked"]) and not t["held"] for t in mine)
        assert row["reference_converters"] == sum(bool(t["clicked"]) and t["held"] for t in mine)
        significant += row["is_significant"]
    print(f"no effect: significant in {significant}/100")
    assert significant <= 10


def check_splits(build: Build, truth: dict[str, dict[str, Any]], splits_on_entry: dict[str, str | None]) -> None:
    rows = build.query(
        "select contact_id, seg_everyone, seg_everyone_holdout, seg_everyone_split from contact_segments"
    )
    assert len(rows) == EXPERIMENTS * PER_EXPERIMENT == len(truth)
    for contact_id, member, held, split in rows:
        assert held == (bucket(f"{contact_id}:everyone") < 2_000)
        assert member == (not held)
        assert split == (split_of(contact_id, "everyone") if member else None)
    # The same group as on the day of entry, two weeks before.
    assert {r[0]: r[3] for r in rows} == splits_on_entry
    shares = Counter(r[3] for r in rows if r[1])
    members = sum(shares.values())
    assert {g: round(100 * n / members) for g, n in shares.items()} == {"a": 50, "b": 30, "c": 20}
    # Independent of the holdout hash, on 100,000 ids: the split group is distributed alike inside and
    # outside the holdout, and the two buckets are uncorrelated.
    ids = [f"C{i:06d}" for i in range(100_000)]
    held = [bucket(f"{i}:everyone") < 2_000 for i in ids]
    groups = [split_of(i, "everyone") for i in ids]
    table = [[sum(1 for h, g in zip(held, groups, strict=True) if h == side and g == group) for group in SPLITS]
             for side in (True, False)]  # fmt: skip
    assert chi2_contingency(table).pvalue > 0.001
    correlation = pearsonr([bucket(f"{i}:everyone") for i in ids], [bucket(f"{i}:everyone:split") for i in ids])
    assert abs(correlation.statistic) < 0.01


def check_past_as_of(build: Build, truth: dict[str, dict[str, Any]]) -> None:
    """Rebuilt for 2026-03-08, after 2026-03-15 was recorded: the lift as it was then."""
    past = ENTRY + dt.timedelta(days=7)
    then = Build(build.db_path, build.target_path, build.vars, project_dir=build.project_dir,
                 env={"SEGMENTS_AS_OF": past.isoformat()})  # fmt: skip
    then.run("run")
    query = "select segment, group_name, members, converters, is_open from segment_lift_cohorts"
    cohorts = {(r[0], r[1]): r[2:] for r in then.query(query)}
    for k in range(EXPERIMENTS):
        mine = [t for t in truth.values() if t["k"] == k]
        for group, held in (("treatment", False), ("holdout", True)):
            bought_by_then = sum(1 for t in mine if t["held"] == held and t["bought"] and t["bought"] <= past)
            assert cohorts[(f"exp{k:02d}", group)] == (sum(t["held"] == held for t in mine), bought_by_then, True)
    # Every window is open on 2026-03-08: no closed cohort, every entry counted apart.
    totals = then.query("select sum(members), sum(reference_members), sum(open_members) from segment_lift "
                        "where segment like 'exp%'")  # fmt: skip
    assert totals == [(0, 0, EXPERIMENTS * PER_EXPERIMENT)]
