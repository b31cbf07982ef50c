"""Incremental daily runs give the same marts as a full refresh (issue: history and incremental).

Each scenario takes a generated data set and lets its rows *arrive* day by day:
events on the day they occurred or up to `events_lookback_days` late, re-sent
copies of earlier events (some exact, some claiming an earlier time so that they
must win the event id), contacts whose record lands two days after their first
events, and erasure requests on the day they were made. The warehouse is built
once, then run incrementally for each following day with that day's arrivals;
the result must equal a fresh full build of the final data, row for row.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import RAW_COLUMNS, Build, generate_raw, write_raw

LOOKBACK_DAYS = 3
END = dt.date(2026, 5, 31)
FIRST_DAY = END - dt.timedelta(days=5)
COMPARED = ("contact_features", "contact_segments", "base_marketing__events", "source_row_accounting")

Row = dict[str, Any]


def read_csv(path: Path) -> list[Row]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def day_of(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return default


def shifted(text: str, by: dt.timedelta) -> str:
    try:
        return (dt.datetime.fromisoformat(text[:19]) + by).isoformat(" ")
    except ValueError:
        return text


def arrivals(raw: Path, seed: int) -> dict[str, list[tuple[dt.date, Row]]]:
    """Every raw row with the day it lands in the warehouse's inputs."""
    rng = random.Random(seed)
    tables = {table: read_csv(raw / f"{table}.csv") for table in RAW_COLUMNS}
    late_contacts = {r["contact_id"] for r in tables["contacts"] if rng.random() < 0.1}

    landed: dict[str, list[tuple[dt.date, Row]]] = {table: [] for table in RAW_COLUMNS}
    for row in tables["contacts"]:
        day = day_of(row["updated_at"] or row["created_at"], FIRST_DAY)
        if row["contact_id"] in late_contacts:
            day += dt.timedelta(days=2)
        landed["contacts"].append((day, row))
    for row in tables["erasure_requests"]:
        landed["erasure_requests"].append((day_of(row["requested_at"], FIRST_DAY), row))
    # The busiest contact asks to be erased half-way, after its events were staged.
    counts: dict[str, int] = {}
    for row in tables["events"]:
        counts[row["contact_id"]] = counts.get(row["contact_id"], 0) + 1
    busiest = max(sorted(counts), key=lambda contact_id: counts[contact_id])
    erased_on = FIRST_DAY + dt.timedelta(days=3)
    landed["erasure_requests"].append((erased_on, {"contact_id": busiest, "requested_at": f"{erased_on} 09:00:00"}))
    for table in ("contact_tags", "contact_attributes", "suppressions", "fx_rates"):
        landed[table] = [(FIRST_DAY, row) for row in tables[table]]

    for row in tables["events"]:
        occurred = day_of(row["occurred_at"], FIRST_DAY)
        roll = rng.random()
        late = rng.randint(1, LOOKBACK_DAYS) if roll < 0.25 else 0
        landed["events"].append((occurred + dt.timedelta(days=late), row))
        if occurred < FIRST_DAY - dt.timedelta(days=10) or roll < 0.95:
            continue
        copy = dict(row)
        if roll < 0.97:
            # Replayed by the tracker days later, stamped with the replay time:
            # the staged original, outside the lookback by then, must keep the id.
            copy["occurred_at"] = shifted(row["occurred_at"], dt.timedelta(days=LOOKBACK_DAYS + 3))
            if roll < 0.96:
                # The original was broken (rejected): the replay keeps the id, and
                # the rejected original keeps its row and its copy number.
                arrived, _ = landed["events"][-1]
                landed["events"][-1] = (arrived, {**row, "quantity": "lots"})
            landed["events"].append((day_of(copy["occurred_at"], FIRST_DAY), copy))
            continue
        # Re-sent a few days later; half of the copies claim an earlier time and win the id.
        if roll > 0.985:
            copy["occurred_at"] = shifted(row["occurred_at"], dt.timedelta(hours=-1))
        landed["events"].append((occurred + dt.timedelta(days=rng.randint(1, LOOKBACK_DAYS)), copy))
    return landed


def landed_by(landed: dict[str, list[tuple[dt.date, Row]]], day: dt.date) -> dict[str, list[Row]]:
    return {table: [row for arrived, row in rows if arrived <= day] for table, rows in landed.items()}


def table_rows(build: Build, table: str) -> list[tuple[Any, ...]]:
    return sorted(build.query(f"select * from {table}"), key=repr)


def assert_same_tables(incremental: Build, full: Build) -> None:
    for table in COMPARED:
        got, expected = table_rows(incremental, table), table_rows(full, table)
        assert len(got) == len(expected), f"{table}: {len(got)} rows incrementally, {len(expected)} in full"
        differing = [(a, b) for a, b in zip(got, expected, strict=True) if a != b]
        assert not differing, f"{table}: {len(differing)} rows differ, first: {differing[0]}"


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_daily_incremental_runs_equal_a_full_refresh(seed: int, tmp_path: Path) -> None:
    source = generate_raw(tmp_path / "generated", 300, 40, END.isoformat(), seed=seed)
    landed = arrivals(source, seed)
    raw = tmp_path / "raw"

    daily_vars = {"raw_data_path": str(raw), "events_lookback_days": LOOKBACK_DAYS}
    daily = Build(tmp_path / "daily.duckdb", tmp_path / "daily_target", daily_vars)
    day = FIRST_DAY
    write_raw(raw, landed_by(landed, day))
    daily.vars["as_of"] = day.isoformat()
    daily.run("build", "--exclude", "resource_type:test", "resource_type:unit_test")
    staged_first = daily.scalar("select count(*) from base_marketing__events")
    while day < END:
        day += dt.timedelta(days=1)
        write_raw(raw, landed_by(landed, day))
        daily.vars["as_of"] = day.isoformat()
        daily.run("run")
        compiled = daily.target_path / "run/contact_segmentation/models/staging/marketing/base_marketing__events.sql"
        assert "delete from" in compiled.read_text(), "base_marketing__events was not built incrementally"
    assert daily.scalar("select count(*) from base_marketing__events") > staged_first

    full = Build(tmp_path / "full.duckdb", tmp_path / "full_target", dict(daily.vars))
    full.run("build", "--exclude", "resource_type:test", "resource_type:unit_test")
    assert_same_tables(daily, full)
    # The scenario exercised what it is about.
    assert full.scalar("select count(*) from base_marketing__events where is_collapsed") > 0
    assert full.scalar("select count(*) from base_marketing__events where is_erased") > 0
    assert (
        full.scalar(
            "select count(*) from base_marketing__events as rejected"
            " inner join base_marketing__events as kept on rejected.event_id = kept.event_id"
            " where rejected.rejection_reason = 'invalid_value' and kept.rejection_reason is null"
            " and rejected.occurred_at < kept.occurred_at"
        )
        > 0
    ), "no rejected original with a later valid copy"
    late_contacts = {row["contact_id"] for arrived, row in landed["contacts"] if arrived > FIRST_DAY}
    assert any(row["contact_id"] in late_contacts for arrived, row in landed["events"] if arrived <= FIRST_DAY)


def test_rows_arriving_later_than_the_lookback_need_a_full_refresh(tmp_path: Path) -> None:
    contact = {"contact_id": "C1", "email": "a@example.com", "consent_status": "subscribed",
               "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00"}  # fmt: skip

    def event(event_id: str, at: str) -> Row:
        return {"event_id": event_id, "contact_id": "C1", "event_type": "page_view", "occurred_at": at}

    raw = tmp_path / "raw"
    build_vars = {"raw_data_path": str(raw), "as_of": "2026-03-31", "events_lookback_days": 3}
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", build_vars)
    write_raw(raw, {"contacts": [contact], "events": [event("E1", "2026-03-31 10:00:00")]})
    build.run("build", "--select", "+base_marketing__events", "--indirect-selection", "cautious")

    inside = event("E2", "2026-03-28 11:00:00")  # within 3 days of the newest staged event
    outside = event("E3", "2026-03-20 11:00:00")
    write_raw(raw, {"contacts": [contact], "events": [event("E1", "2026-03-31 10:00:00"), inside, outside]})
    build.run("run", "--select", "base_marketing__events")
    assert build.query("select event_id from base_marketing__events order by 1") == [("E1",), ("E2",)]

    build.run("run", "--select", "base_marketing__events", "--full-refresh")
    assert build.query("select event_id from base_marketing__events order by 1") == [("E1",), ("E2",), ("E3",)]


def test_old_rows_are_judged_again_when_their_fx_rate_arrives_or_changes(tmp_path: Path) -> None:
    contact = {"contact_id": "C1", "email": "a@example.com", "created_at": "2026-01-01 00:00:00"}
    events = [
        {"event_id": "E1", "contact_id": "C1", "event_type": "purchase", "occurred_at": "2026-02-01 10:00:00",
         "order_id": "O1", "revenue": "100.00", "currency": "SEK"},
        {"event_id": "E2", "contact_id": "C1", "event_type": "page_view", "occurred_at": "2026-03-31 10:00:00"},
    ]  # fmt: skip
    raw = tmp_path / "raw"
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"raw_data_path": str(raw), "as_of": "2026-03-31"})
    eur = {"currency": "EUR", "rate_to_reporting": "1"}
    write_raw(raw, {"contacts": [contact], "events": events, "fx_rates": [eur]})
    build.run("build", "--select", "+base_marketing__events", "--indirect-selection", "cautious")
    fate = "select rejection_reason, rate_to_reporting from base_marketing__events where event_id = 'E1'"
    assert build.query(fate) == [("missing_fx_rate", None)]

    for rate in ("0.0875", "0.09"):
        sek = {"currency": "SEK", "rate_to_reporting": rate}
        write_raw(raw, {"contacts": [contact], "events": events, "fx_rates": [eur, sek]})
        build.run("run", "--select", "stg_marketing__fx_rates", "base_marketing__events")
        assert build.query(fate) == [(None, Decimal(rate))]
