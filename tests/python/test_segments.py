"""Segments: every default segment on stated inputs, holdouts, priorities, explain, consent.

dbt's unit-test runner renders models without the project graph, so it cannot see the
segment file; these tests instead build the project on empty data, load hand-written
contact_features and event rows, run contact_segments on them and check each
segment's contact just inside and just outside.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from conftest import Build, BuildRaw, write_raw
from segment_cases import AS_OF, CASES, EVENT_CASES, LAPSED_EVENTS, SHOE_EVENTS

HOLDOUT_SAMPLE = 2000


def bucket(contact_id: str, segment: str) -> int:
    """The holdout bucket of docs/segments.md, computed independently of the SQL."""
    return int(hashlib.md5(f"{contact_id}:{segment}".encode()).hexdigest()[:8], 16) % 10000


def insert(build: Build, table: str, rows: list[dict[str, Any]]) -> None:
    import duckdb

    with duckdb.connect(str(build.db_path)) as con:
        con.execute(f"delete from {table}")
        for row in rows:
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"insert into {table} ({columns}) values ({marks})", list(row.values()))


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("segments")
    raw = write_raw(root / "raw", {})
    build = Build(root / "w.duckdb", root / "target", {"as_of": AS_OF, "raw_data_path": str(raw)})
    build.run("build")
    features: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for name, inside, outside, _ in CASES:
        for label, values in (("IN", inside), ("OUT", outside)):
            features.append({"contact_id": f"{name}:{label}", "is_email_sendable": True, **values})
    for label, event in SHOE_EVENTS.items():
        events.append({"event_id": f"shoe-{label}", "contact_id": f"recent_shoe_buyers:{label}", **event})
    for label, stated in LAPSED_EVENTS.items():
        events += [{"event_id": f"lapsed-{label}-{i}", "contact_id": f"lapsed_buyers:{label}", **event}
                   for i, event in enumerate(stated)]  # fmt: skip
    for name, cases in EVENT_CASES.items():
        for label, stated in cases.items():
            events += [{"event_id": f"{name}-{label}-{i}", "contact_id": f"{name}:{label}", **event}
                       for i, event in enumerate(stated)]  # fmt: skip
    for row_id, event in enumerate(events):
        event["event_row_id"] = row_id
    features += [
        {"contact_id": "H3", "is_email_sendable": True, "has_abandoned_cart": True},
        {"contact_id": "P1", "is_email_sendable": True, "has_abandoned_cart": True, "has_machine_opens": True,
         "is_birthday_month": True, "monetary_percentile": 0.95, "email_engagement_status": "engaged"},
        {"contact_id": "P2", "is_email_sendable": True, "is_birthday_month": True, "monetary_percentile": 0.95},
        {"contact_id": "P3", "is_email_sendable": True, "email_engagement_status": "engaged"},
        {"contact_id": "U", "is_email_sendable": False, "email_engagement_status": "engaged",
         "monetary_percentile": 0.95, "rfm_segment": "hibernating", "email": "u@example.com"},
    ]  # fmt: skip
    features += [{"contact_id": f"HX{i}", "is_email_sendable": True, "has_abandoned_cart": True}
                 for i in range(HOLDOUT_SAMPLE)]  # fmt: skip
    insert(build, "contact_features", features)
    # int_events_resolved is a view: a table of the same columns takes its place.
    build.query("create table stated_events as select * from int_events_resolved limit 0; "
                "drop view int_events_resolved; alter table stated_events rename to int_events_resolved")  # fmt: skip
    insert(build, "int_events_resolved", events)
    build.run(
        "run",
        "--select",
        "int_contact_event_conditions",
        "contact_traits",
        "contact_segments",
        "contact_segment_conditions",
    )
    return build


def membership(build: Build, contact_id: str, column: str) -> Any:
    return build.scalar(f"select {column} from contact_segments where contact_id = '{contact_id}'")


@pytest.mark.parametrize(("name", "why"), [(c[0], c[3]) for c in CASES])
def test_default_segment_inside_and_outside(segments: Build, name: str, why: str) -> None:
    assert membership(segments, f"{name}:IN", f"seg_{name}") is True, why
    assert membership(segments, f"{name}:OUT", f"seg_{name}") is False, why


def test_every_default_segment_has_a_case(segments: Build) -> None:
    columns = {r[0] for r in segments.query(
        "select column_name from information_schema.columns where table_name = 'contact_segments'"
    )}  # fmt: skip
    segment_columns = {c[4:] for c in columns if c.startswith("seg_") and not c.endswith(("_holdout", "_split"))}
    assert segment_columns == {c[0] for c in CASES}


def test_holdout_is_a_stable_tenth_outside_the_audience(segments: Build) -> None:
    assert bucket("H3", "cart_abandoners") < 1000 <= bucket("cart_abandoners:IN", "cart_abandoners")
    assert segments.query("select seg_cart_abandoners, seg_cart_abandoners_holdout from contact_segments "
                          "where contact_id = 'H3'") == [(False, True)]  # fmt: skip
    held = segments.query(
        "select contact_id from contact_segments where starts_with(contact_id, 'HX') and seg_cart_abandoners_holdout"
    )
    expected = {f"HX{i}" for i in range(HOLDOUT_SAMPLE) if bucket(f"HX{i}", "cart_abandoners") < 1000}
    assert {r[0] for r in held} == expected
    assert 0.08 < len(expected) / HOLDOUT_SAMPLE < 0.12
    assert segments.query("select count(*) from contact_segments where seg_cart_abandoners "
                          "and seg_cart_abandoners_holdout") == [(0,)]  # fmt: skip


def test_primary_segment_and_email_audience_gating(segments: Build) -> None:
    rows = dict(segments.query("select contact_id, primary_segment from contact_segments "
                               "where contact_id in ('P1', 'P2', 'P3', 'U')"))  # fmt: skip
    # P1: apple_cart_abandoners (95) > cart_abandoners (90) > birthday (85) > vip (75).
    assert rows == {"P1": "apple_cart_abandoners", "P2": "birthday_this_month", "P3": None, "U": None}
    # U matches engaged and vip but cannot be emailed; the non-email RFM segment keeps it.
    assert segments.query("select seg_engaged, seg_vip, seg_rfm_hibernating, email_sha256 from contact_segments "
                          "where contact_id = 'U'") == [
        (False, False, True, hashlib.sha256(b"u@example.com").hexdigest())
    ]  # fmt: skip


def test_explain_shows_which_conditions_held(segments: Build) -> None:
    rows = segments.query(
        "select condition_path, condition_text, is_met from contact_segment_conditions "
        "where contact_id = 'apple_cart_abandoners:OUT' and segment_name = 'apple_cart_abandoners' order by 1"
    )
    assert rows == [
        ("email_audience", "is_email_sendable = true", True),
        ("membership", "member of apple_cart_abandoners (before any holdout)", False),
        ("rule.all[0]", "member of cart_abandoners", True),
        ("rule.all[1]", "has_machine_opens = true", False),
        ("whole_rule", "the whole rule", False),
    ]
    shoe = segments.query(
        "select condition_text, is_met from contact_segment_conditions where contact_id = 'recent_shoe_buyers:IN' "
        "and segment_name = 'recent_shoe_buyers' and condition_path = 'rule'"
    )
    assert shoe == [('purchase at least 1x in the last 7 days where category = "shoes" and revenue >= 30', True)]


def test_consent_and_erasure_hold_on_a_real_build(build_raw: BuildRaw) -> None:
    """Fixture data built to break the rules: engaged contacts who cannot be emailed, and an erased one.

    STAFF (by @domain) and HOLD (by its merged record HOLD2's id) are on the exclusion list; ENDED's
    exclusion ended the day before as_of. A bad `until` is rejected; an exclusion of the erased email goes with it.
    """
    contacts, events = [], []
    people = {
        "OK": {"email": "ok@example.com", "consent_status": "subscribed"},
        "UNSUB": {"email": "unsub@example.com", "consent_status": "unsubscribed"},
        "INVALID": {"email": "invalid-at-example", "consent_status": "subscribed"},
        "SUPP": {"email": "supp@example.com", "consent_status": "subscribed"},
        "ERASED": {"email": "erased@example.com", "consent_status": "subscribed"},
        "STAFF": {"email": "Ann@OurShop.example", "consent_status": "subscribed"},
        "HOLD": {"email": "hold@example.com", "consent_status": "subscribed"},
        "HOLD2": {"email": "HOLD@example.com", "consent_status": "subscribed"},  # merged into HOLD
        "ENDED": {"email": "ended@example.com", "consent_status": "subscribed"},
    }
    for cid, values in people.items():
        contacts.append({"contact_id": cid, "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00",
                         "country": "DE", **values})  # fmt: skip
        events += [
            {"event_id": f"{cid}-d", "contact_id": cid, "event_type": "email_delivered", "message_id": "m1",
             "occurred_at": "2026-03-20 09:00:00"},
            {"event_id": f"{cid}-o", "contact_id": cid, "event_type": "email_opened", "message_id": "m1",
             "occurred_at": "2026-03-20 10:00:00"},
            {"event_id": f"{cid}-p", "contact_id": cid, "event_type": "purchase", "order_id": f"{cid}-o1",
             "revenue": "20.00", "occurred_at": "2026-03-01 10:00:00"},
        ]  # fmt: skip
    build = build_raw({
        "contacts": contacts, "events": events,
        "suppressions": [{"email": "SUPP@example.com", "reason": "manual", "suppressed_at": "2026-02-01 00:00:00"}],
        "erasure_requests": [{"email": "erased@example.com"}],
        "exclusions": [
            {"pattern": "@ourshop.example", "reason": "staff", "excluded_at": "2026-01-01 00:00:00"},
            {"pattern": "HOLD2", "reason": "legal_hold", "excluded_at": "2026-03-31 12:00:00", "until": "2026-03-31"},
            {"pattern": "ended@example.com", "excluded_at": "2026-01-01 00:00:00", "until": "2026-03-30"},
            {"pattern": "ok@example.com", "reason": "typo", "excluded_at": "2026-01-01 00:00:00", "until": "soon"},
            {"pattern": "ERASED@example.com", "reason": "staff", "excluded_at": "2026-01-01 00:00:00"},
        ],
    }, as_of=AS_OF)  # fmt: skip
    rows = build.query("select contact_id, email_engagement_status, is_email_sendable, seg_engaged, seg_dach_region, "
                       "seg_rfm_hibernating from contact_segments order by 1")  # fmt: skip
    assert rows == [
        ("ENDED", "engaged", True, True, True, True),
        ("HOLD", "engaged", False, False, False, False),  # two orders with HOLD2's: not hibernating
        ("INVALID", "engaged", False, False, False, True),
        ("OK", "engaged", True, True, True, True),
        ("STAFF", "engaged", False, False, False, True),
        ("SUPP", "engaged", False, False, False, True),
        ("UNSUB", "engaged", False, False, False, True),
    ]
    assert build.query("select contact_id, exclusion_reasons from contact_features where is_excluded order by 1") == [
        ("HOLD", "legal_hold"), ("STAFF", "staff")]  # fmt: skip
    assert build.query("select row_key, reason from rejected_rows where source_table = 'exclusions'") == [
        ("ok@example.com", "invalid_until")]  # fmt: skip
    assert build.query("select count(*) from int_exclusions_admitted where match_value like '%erased%'") == [(0,)]
    for relation in ("contact_segments", "contact_segment_conditions", "contact_features"):
        assert build.query(f"select count(*) from {relation} where contact_id = 'ERASED'") == [(0,)]
    assert build.query("select count(*) from contact_segments where email = 'erased@example.com'") == [(0,)]


def test_contract_types(segments: Build) -> None:
    types = dict(segments.query("select column_name, data_type from information_schema.columns "
                                "where table_name = 'contact_segments'"))  # fmt: skip
    assert types["contact_id"] == "VARCHAR" and types["lead_score"] == "DECIMAL(18,2)"
    assert {t for c, t in types.items() if c.startswith("seg_") and not c.endswith("_split")} == {"BOOLEAN"}
    assert types["seg_cart_abandoners_split"] == "VARCHAR"


def test_overlaps_match_the_mart_pair_by_pair(demo: Build) -> None:
    """segment_overlaps against sets of members read from contact_segments, for every pair."""
    flags = [r[0] for r in demo.query(
        "select column_name from information_schema.columns where table_name = 'contact_segments' "
        "and column_name like 'seg\\_%' escape '\\' and column_name not like '%\\_holdout' escape '\\' "
        "and data_type = 'BOOLEAN' order by ordinal_position")]  # fmt: skip
    members = {f[4:]: {r[0] for r in demo.query(f"select contact_id from contact_segments where {f}")} for f in flags}
    rows = demo.query("select segment_a, segment_b, members_a, members_b, members_both, jaccard from segment_overlaps")
    assert len(rows) == len(flags) ** 2 == 42 * 42
    for a, b, size_a, size_b, both, jaccard in rows:
        union = members[a] | members[b]
        assert (size_a, size_b, both) == (len(members[a]), len(members[b]), len(members[a] & members[b])), (a, b)
        assert jaccard == (pytest.approx(both / len(union)) if union else None), (a, b)
    overlapping = [r for r in rows if r[0] != r[1] and r[4] > 0]
    assert overlapping, "the demo has no two segments sharing a member"
