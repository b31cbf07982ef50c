"""The global control group and the frequency cap (docs/segments.md "Audience controls").

One generated data set (300 contacts, 60 days) built twice: with global_control_pct 10 and
frequency_cap {emails: 3, days: 30}, and without. The control group is recomputed here from
its hash, the cap from the kept events, and every email audience must lose exactly those
persons and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import Build, generate_raw

AS_OF = "2026-05-31"
CONTROLS = {"global_control_pct": 10, "frequency_cap": {"emails": 3, "days": 30}, "clv_enabled": False}


def control_bucket(contact_id: str) -> int:
    return int(hashlib.md5(f"global-control:{contact_id}".encode()).hexdigest()[:8], 16) % 10_000


def members(build: Build) -> dict[str, set[str]]:
    """Each seg_ column's members (holdout columns included)."""
    columns = [
        row[0]
        for row in build.query(
            "select column_name from information_schema.columns where table_name = 'contact_segments' "
            "and column_name like 'seg\\_%' escape '\\' and data_type = 'BOOLEAN' order by ordinal_position"
        )
    ]
    return {column: {r[0] for r in build.query(f"select contact_id from contact_segments where {column}")}
            for column in columns}  # fmt: skip


def test_the_control_group_and_the_cap_leave_exactly_their_persons_out_of_every_email_audience(
    tmp_path: Path,
) -> None:
    raw = generate_raw(tmp_path / "raw", 300, 60, AS_OF, seed=5)
    with_controls = Build(tmp_path / "controls.duckdb", tmp_path / "controls_target",
                          {"raw_data_path": str(raw), "as_of": AS_OF, **CONTROLS})  # fmt: skip
    with_controls.run("build")
    without = Build(tmp_path / "plain.duckdb", tmp_path / "plain_target",
                    {"raw_data_path": str(raw), "as_of": AS_OF, "clv_enabled": False})  # fmt: skip
    without.run("build", "--exclude", "resource_type:test", "resource_type:unit_test")

    flags = with_controls.query("select contact_id, is_global_control, is_frequency_capped from contact_features")
    persons = {r[0] for r in flags}
    control = {r[0] for r in flags if r[1]}
    capped = {r[0] for r in flags if r[2]}
    # The control group is the hash's lower 10 % of buckets: about 30 of 300 persons.
    assert control == {p for p in persons if control_bucket(p) < 1000}
    assert 15 <= len(control) <= 45

    # The cap, recomputed from the kept events: distinct messages whose last delivery is on or after
    # 2026-05-02 00:00 (30 days up to 2026-05-31), at least 3 of them.
    last_delivery: dict[tuple[str, str], dt.datetime] = {}
    for contact_id, message, occurred_at in with_controls.query(
        "select contact_id, coalesce(message_id, campaign_id, event_id), occurred_at from int_events_resolved "
        "where event_type = 'email_delivered'"
    ):
        key = (contact_id, message)
        last_delivery[key] = max(occurred_at, last_delivery.get(key, occurred_at))
    in_window: dict[str, int] = defaultdict(int)
    for (contact_id, _), delivered_at in last_delivery.items():
        if delivered_at >= dt.datetime(2026, 5, 2):
            in_window[contact_id] += 1
    assert capped == {p for p, count in in_window.items() if count >= 3}
    assert capped - control and len(capped) < len(persons) / 2

    audiences = {
        r[0]
        for r in with_controls.query(
            "select distinct segment_name from contact_segment_conditions where condition_path = 'email_audience'"
        )
    }
    after, before = members(with_controls), members(without)
    assert after.keys() == before.keys()
    left_out = control | capped
    checked = 0
    for column, was in before.items():
        name = column.removeprefix("seg_").removesuffix("_holdout")
        if name in audiences:
            assert after[column] == was - left_out, column
            checked += len(was & left_out)
    # The controls did leave members out: not a check that passes on empty audiences.
    assert checked > 20
    # No email audience holds a person in the control group or capped.
    for column, now in after.items():
        if column.removeprefix("seg_").removesuffix("_holdout") in audiences:
            assert not now & left_out, column

    # contact_segment_conditions explains both, as conditions of each email audience.
    explained = with_controls.query(
        "select condition_path, condition_text, count(*) filter (where not is_met) from contact_segment_conditions "
        "where condition_path in ('global_control', 'frequency_cap') group by 1, 2 order by 1"
    )
    assert explained == [
        ("frequency_cap", "fewer than 3 emails delivered in the last 30 days", len(capped) * len(audiences)),
        ("global_control", "not in the global control group", len(control) * len(audiences)),
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"global_control_pct": 100}, "global_control_pct must be a number from 0 to below 100, not 100"),
        ({"frequency_cap": {"emails": 5}},
         "frequency_cap must be {} (no cap) or {emails: N, days: D} with whole numbers of at least 1"),
        ({"frequency_cap": {"emails": 0, "days": 7}},
         "frequency_cap must be {} (no cap) or {emails: N, days: D} with whole numbers of at least 1"),
    ],
    ids=["control of 100 %", "cap without days", "cap of 0 emails"],
)  # fmt: skip
def test_a_wrong_audience_control_stops_compilation_naming_the_var(
    tmp_path: Path, setting: dict[str, object], message: str
) -> None:
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"as_of": AS_OF, **setting})
    build.run("compile", "--select", "int_contacts_audience_controls", expect_success=False)
    assert message in str(build.result.exception)
