"""One hand-written fixture per staging rule (docs/identity.md, docs/landing.md).

Each test writes a tiny raw data set, runs `dbt build` on it (so the project's invariant tests,
the row-accounting test among them, and every key's unique test run too) and checks the values
it expects. The build stops at the admission models (ADMISSION) but for the erasure tests, which
check that an erased person reaches no model at all; the features and marts each test a fixture
of their own (test_features.py, test_segments.py), and half a build's nodes are theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import KEPT_ATTRIBUTES, KEPT_CONTACTS, KEPT_EVENTS, KEPT_TAGS, Build, BuildRaw

# The admission models (docs/identity.md, docs/landing.md) and everything they are built from.
ADMISSION = "+rejected_rows +source_row_accounting +int_contacts_resolved +int_events_resolved"


def contact(contact_id: str, email: str, created_at: str = "2026-01-01 00:00:00", **extra: Any) -> dict[str, Any]:
    row = {
        "contact_id": contact_id,
        "email": email,
        "created_at": created_at,
        "updated_at": extra.pop("updated_at", created_at),
        "consent_status": "subscribed",
    }
    row.update(extra)
    return row


def event(
    event_id: str,
    contact_id: str,
    event_type: str = "page_view",
    occurred_at: str = "2026-03-01 10:00:00",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "contact_id": contact_id,
        "event_type": event_type,
        "occurred_at": occurred_at,
        **extra,
    }


def rejected(build: Build, table: str) -> dict[str, str]:
    """row_key -> reason of the rows rejected_rows lists for one table."""
    rows = build.query(f"select row_key, reason from rejected_rows where source_table = '{table}' order by 1")
    return dict(rows)


def test_duplicate_contact_rows_latest_record_wins(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [
            contact("C1", "old@example.com", updated_at="2026-01-05 00:00:00", city="Berlin"),
            contact("C1", "new@example.com", updated_at="2026-03-10 00:00:00", city="Hamburg"),
            # updated after as_of: does not compete
            contact("C1", "future@example.com", updated_at="2026-04-15 00:00:00", city="Munich"),
        ]
    }
    build = build_raw(tables, as_of="2026-03-31", select=ADMISSION)
    assert build.query(f"select contact_id, email, city from {KEPT_CONTACTS}") == [("C1", "new@example.com", "Hamburg")]
    assert build.query("select reason, count(*) from rejected_rows group by 1") == [("superseded_contact_record", 2)]

    # A past as_of rebuilds the record as it was then.
    past = build_raw(tables, as_of="2026-02-01", select=ADMISSION)
    assert past.query(f"select email, city from {KEPT_CONTACTS}") == [("old@example.com", "Berlin")]


def test_duplicate_contact_rows_ties_break_on_created_at_then_email(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [
            contact("C1", "a@example.com", created_at="2026-01-01 00:00:00", updated_at="2026-02-01 00:00:00"),
            contact("C1", "b@example.com", created_at="2026-01-02 00:00:00", updated_at="2026-02-01 00:00:00"),
            contact("C2", "y@example.com", updated_at="2026-02-01 00:00:00"),
            contact("C2", "z@example.com", updated_at="2026-02-01 00:00:00"),
        ]
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query(f"select contact_id, email from {KEPT_CONTACTS} order by 1") == [
        ("C1", "b@example.com"),  # the latest created_at
        ("C2", "z@example.com"),  # then the greatest normalised email
    ]


def test_merge_by_email_ignores_case_and_whitespace(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [
            contact("C2", "  Ann.Lee@Example.COM ", created_at="2026-02-01 00:00:00", city="Paris"),
            contact("C1", "ann.lee@example.com", created_at="2026-01-01 00:00:00", city="Lyon"),
            # invalid emails never merge, even when equal
            contact("C3", "not-an-email", created_at="2026-01-01 00:00:00"),
            contact("C4", "NOT-AN-EMAIL", created_at="2026-01-02 00:00:00"),
        ],
        "events": [event("E1", "C2"), event("E2", "C1"), event("E3", "C4")],
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query("select contact_id, canonical_contact_id from int_contact_ids_mapped order by 1") == [
        ("C1", "C1"),
        ("C2", "C1"),
        ("C3", "C3"),
        ("C4", "C4"),
    ]
    assert build.query("select contact_id, email, city, merged_contact_ids from int_contacts_resolved order by 1") == [
        ("C1", "ann.lee@example.com", "Lyon", 2),
        ("C3", "not-an-email", None, 1),
        ("C4", "not-an-email", None, 1),
    ]
    assert build.query("select event_id, contact_id, source_contact_id from int_events_resolved order by 1") == [
        ("E1", "C1", "C2"),
        ("E2", "C1", "C1"),
        ("E3", "C4", "C4"),
    ]


def test_merge_canonical_is_first_created_null_created_last_then_smallest_id(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [
            contact("A9", "x@example.com", created_at=""),
            contact("B2", "x@example.com", created_at="2026-01-05 00:00:00"),
            contact("B1", "x@example.com", created_at="2026-01-05 00:00:00"),
        ]
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query("select distinct canonical_contact_id from int_contact_ids_mapped") == [("B1",)]


def _assert_erased(build: Build, erased_ids: set[str], erased_emails: set[str]) -> None:
    """Nothing about an erased person appears in any model downstream of staging."""
    relations = [
        r[0]
        for r in build.query(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and not starts_with(table_name, 'stg_') and not starts_with(table_name, 'int_erased_')"
        )
    ]
    assert "rejected_rows" in relations and "int_contacts_resolved" in relations
    for relation in relations:
        columns = [
            r[0]
            for r in build.query(f"select column_name from information_schema.columns where table_name = '{relation}'")
        ]
        for column in columns:
            values = {str(r[0]) for r in build.query(f'select distinct "{column}" from "{relation}"')}
            leaked = values & (erased_ids | erased_emails)
            assert not leaked, f"{relation}.{column} still holds erased values {leaked}"


def test_erasure_by_contact_id_erases_the_whole_person(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [
            contact("C1", "eve@example.com", created_at="2026-01-01 00:00:00"),
            contact("C2", "EVE@example.com", created_at="2026-01-02 00:00:00"),  # the same person
            contact("C3", "keep@example.com"),
        ],
        "events": [
            event("E1", "C1"),
            event("E2", "C2", "purchase"),  # purchase without order id: still erased, not listed
            event("E3", "C3"),
            event("E4", "C9", "page_view"),  # erased id with no contact: dropped
        ],
        "contact_tags": [{"contact_id": "C2", "tag": "vip"}, {"contact_id": "C3", "tag": "vip"}],
        "suppressions": [{"email": "eve@example.com", "reason": "manual"}],
        "erasure_requests": [{"contact_id": "C1"}, {"contact_id": "C9"}],
    }
    build = build_raw(tables)
    assert build.query("select contact_id from int_contacts_resolved") == [("C3",)]
    assert build.query("select event_id from int_events_resolved") == [("E3",)]
    assert build.query("select count(*) from rejected_rows") == [(0,)]
    assert build.query(
        "select source_table, rows_in, rows_kept, rows_erased from source_row_accounting "
        "where source_table in ('contacts', 'events', 'contact_tags', 'suppressions') order by 1"
    ) == [("contact_tags", 2, 1, 1), ("contacts", 3, 1, 2), ("events", 4, 1, 3), ("suppressions", 1, 0, 1)]
    _assert_erased(build, {"C1", "C2", "C9"}, {"eve@example.com"})


def test_erasure_by_email_matches_normalised_email_whatever_its_date(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "Bob@Example.com"), contact("C2", "alice@example.com")],
        "events": [event("E1", "C1"), event("E2", "C2")],
        "contact_attributes": [
            {"contact_id": "C1", "attribute_name": "shoe_size", "attribute_value": "abc", "attribute_type": "number"}
        ],
        # requested after as_of: erasure applies to every as_of all the same
        "erasure_requests": [{"email": " BOB@EXAMPLE.COM", "requested_at": "2026-09-01 00:00:00"}],
    }
    build = build_raw(tables, as_of="2026-03-31")
    assert build.query("select contact_id from int_contacts_resolved") == [("C2",)]
    assert build.query("select event_id from int_events_resolved") == [("E2",)]
    # the invalid attribute of the erased person is not listed as rejected either
    assert build.query("select count(*) from rejected_rows") == [(0,)]
    _assert_erased(build, {"C1"}, {"bob@example.com"})


def test_unknown_event_type_is_rejected(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [event("E1", "C1", "app_install"), event("E2", "C1", ""), event("E3", "C1", "page_view")],
    }
    build = build_raw(tables, select=ADMISSION)
    assert rejected(build, "events") == {"E1": "unknown_event_type", "E2": "unknown_event_type"}
    assert build.query(f"select event_id from {KEPT_EVENTS}") == [("E3",)]


def test_event_types_map_case_insensitively_through_aliases(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [
            event("E1", "C1", " Page View "),
            event("E2", "C1", "PAGEVIEW"),
            event("E3", "C1", "Email_Opened"),
            event("E4", "C1", "order_completed", order_id="O1", revenue="10.00"),
        ],
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query(f"select event_id, event_type from {KEPT_EVENTS} order by 1") == [
        ("E1", "page_view"),
        ("E2", "page_view"),
        ("E3", "email_opened"),
        ("E4", "purchase"),
    ]


def test_future_timestamp_is_rejected_relative_to_wall_clock(build_raw: BuildRaw) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    soon = (now + dt.timedelta(hours=12)).strftime("%Y-%m-%d %H:%M:%S")
    later = (now + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [event("E1", "C1", occurred_at=soon), event("E2", "C1", occurred_at=later)],
    }
    build = build_raw(tables, as_of=now.date().isoformat(), select=ADMISSION)
    assert rejected(build, "events") == {"E2": "future_timestamp"}
    assert build.query(f"select event_id from {KEPT_EVENTS}") == [("E1",)]


def test_offset_timestamps_convert_to_utc_across_midnight(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [
            event("E1", "C1", occurred_at="2026-03-01T23:30:00-05:00"),  # next day in UTC
            event("E2", "C1", occurred_at="2026-03-02T00:30:00+02:00"),  # previous day in UTC
            event("E3", "C1", occurred_at="2026-03-02 08:00:00"),  # naive: taken as UTC
            event("E4", "C1", occurred_at="yesterday-ish"),
            event("E5", "C1", occurred_at="2026-03-31T23:30:00-02:00"),  # 2026-04-01 01:30 UTC: after as_of
        ],
    }
    build = build_raw(tables, as_of="2026-03-31", select=ADMISSION)
    assert build.query(f"select event_id, occurred_at from {KEPT_EVENTS} order by 1") == [
        ("E1", dt.datetime(2026, 3, 2, 4, 30)),
        ("E2", dt.datetime(2026, 3, 1, 22, 30)),
        ("E3", dt.datetime(2026, 3, 2, 8, 0)),
        ("E5", dt.datetime(2026, 4, 1, 1, 30)),
    ]
    assert rejected(build, "events") == {"E4": "missing_timestamp"}
    assert build.query("select event_id from int_events_resolved order by 1") == [("E1",), ("E2",), ("E3",)]


def test_duplicate_event_id_keeps_earliest_copy(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com"), contact("C2", "b@example.com")],
        "events": [
            event("E1", "C1", occurred_at="2026-03-01 10:05:00"),
            event("E1", "C1", occurred_at="2026-03-01 10:00:00"),  # earliest: kept
            event("E1", "C1", occurred_at="2026-03-01 10:00:00"),  # exact copy: collapsed
            event("E2", "C2", occurred_at="2026-03-01 10:00:00"),
            event("E2", "C1", occurred_at="2026-03-01 10:00:00"),  # tie: smallest contact id kept
            event("E3", "", occurred_at="2026-03-01 09:00:00"),  # rejected rows do not compete
            event("E3", "C2", occurred_at="2026-03-01 11:00:00"),
        ],
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query(f"select event_id, contact_id, occurred_at from {KEPT_EVENTS} order by 1") == [
        ("E1", "C1", dt.datetime(2026, 3, 1, 10, 0)),
        ("E2", "C1", dt.datetime(2026, 3, 1, 10, 0)),
        ("E3", "C2", dt.datetime(2026, 3, 1, 11, 0)),
    ]
    assert build.query(
        "select row_key, reason, disposition, count(*) from rejected_rows group by all order by all"
    ) == [
        ("E1", "duplicate_event_id", "collapsed", 2),
        ("E2", "duplicate_event_id", "collapsed", 1),
        ("E3", "missing_contact_id", "rejected", 1),
    ]
    assert build.query(
        "select rows_in, rows_kept, rows_rejected, rows_collapsed from source_row_accounting "
        "where source_table = 'events'"
    ) == [(7, 3, 1, 3)]


def test_purchase_without_order_id_is_rejected(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [
            event("E1", "C1", "purchase", revenue="20.00"),
            event("E2", "C1", "purchase", order_id="O1", revenue="20.00"),
            event("E3", "C1", "refund", revenue="5.00"),  # a refund needs no order id to be kept
        ],
    }
    build = build_raw(tables, select=ADMISSION)
    assert rejected(build, "events") == {"E1": "purchase_without_order_id"}
    assert build.query(f"select event_id from {KEPT_EVENTS} order by 1") == [("E2",), ("E3",)]


def test_currency_without_fx_rate_is_rejected_and_others_convert(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [
            event("E1", "C1", "purchase", order_id="O1", revenue="10.00", currency="usd"),
            event("E2", "C1", "purchase", order_id="O2", revenue="10.00", currency="CHF"),
            event("E3", "C1", "purchase", order_id="O3", revenue="10.00", currency=""),
            event("E4", "C1", "purchase", order_id="O4", currency="CHF"),  # no revenue: no rate needed
            event("E5", "C1", "purchase", order_id="O5", revenue="3.33", currency="GBP"),
        ],
        "fx_rates": [
            {"currency": "USD", "rate_to_reporting": "0.9"},
            {"currency": "GBP", "rate_to_reporting": "1.1666666667"},
        ],
    }
    build = build_raw(tables, select=ADMISSION)
    assert rejected(build, "events") == {"E2": "missing_fx_rate"}
    rows = build.query(f"select event_id, currency, revenue_reporting from {KEPT_EVENTS} order by 1")
    assert [(e, c, None if r is None else float(r)) for e, c, r in rows] == [
        ("E1", "USD", 9.0),
        ("E3", "EUR", 10.0),
        ("E4", "CHF", None),
        ("E5", "GBP", 3.885000000111),  # full precision, rounded only per order downstream
    ]


def test_fx_rates_file_is_optional(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [
            event("E1", "C1", "purchase", order_id="O1", revenue="10.00", currency="EUR"),
            event("E2", "C1", "purchase", order_id="O2", revenue="10.00", currency="USD"),
        ],
    }
    build = build_raw(tables, with_fx=False, select=ADMISSION)
    assert rejected(build, "events") == {"E2": "missing_fx_rate"}


def test_rejection_reasons_follow_spec_precedence(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com")],
        "events": [
            # every row below breaks several rules; the first in order of precedence is the reason
            event("", "", "nonsense", "garbage"),
            event("E2", "", "nonsense", "garbage"),
            event("E3", "C1", "nonsense", "garbage"),
            event("E4", "C1", "nonsense", "2999-01-01 00:00:00"),
            event("E5", "C404", "nonsense"),
            event("E6", "C404", "purchase", revenue="1", currency="XXX"),
            event("E7", "C1", "purchase", revenue="1", currency="XXX"),
            event("E8", "C1", "purchase", order_id="O8", revenue="1", currency="XXX", quantity="two"),
            event("E9", "C1", "purchase", order_id="O9", revenue="1", quantity="two"),
        ],
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query("select row_key, reason from rejected_rows order by reason") == [
        ("E4", "future_timestamp"),
        ("E9", "invalid_value"),
        ("E2", "missing_contact_id"),
        (None, "missing_event_id"),
        ("E8", "missing_fx_rate"),
        ("E3", "missing_timestamp"),
        ("E7", "purchase_without_order_id"),
        ("E6", "unknown_contact"),
        ("E5", "unknown_event_type"),
    ]


def test_tags_attributes_and_contacts_reject_with_reasons(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [contact("C1", "a@example.com"), contact("", "nobody@example.com")],
        "contact_tags": [
            {"contact_id": "C1", "tag": " Eco_Conscious", "tagged_at": "2026-02-01 00:00:00"},
            {"contact_id": "C1", "tag": "eco_conscious", "tagged_at": "2026-01-01 00:00:00"},
            {"contact_id": "C404", "tag": "vip"},
        ],
        "contact_attributes": [
            {"contact_id": "C1", "attribute_name": "shoe_size", "attribute_value": "abc", "attribute_type": "number"},
            {"contact_id": "C1", "attribute_name": "is_b2b", "attribute_value": "maybe", "attribute_type": "boolean"},
            {"contact_id": "C1", "attribute_name": "tier", "attribute_value": "gold", "attribute_type": "level"},
            {"contact_id": "C1", "attribute_name": "nickname", "attribute_value": "", "attribute_type": "text"},
            {"contact_id": "C1", "attribute_name": "vegan", "attribute_value": "Yes", "attribute_type": "boolean"},
            {"contact_id": "C404", "attribute_name": "vegan", "attribute_value": "no", "attribute_type": "boolean"},
        ],
    }
    build = build_raw(tables, select=ADMISSION)
    assert build.query(f"select contact_id, tag, tagged_at from {KEPT_TAGS}") == [
        ("C1", "eco_conscious", dt.datetime(2026, 1, 1))
    ]
    assert build.query(f"select attribute_name, attribute_value, boolean_value from {KEPT_ATTRIBUTES} order by 1") == [
        ("nickname", None, None),
        ("vegan", "Yes", True),
    ]
    assert build.query("select source_table, row_key, reason from rejected_rows order by 1, 2, 3") == [
        ("contact_attributes", "is_b2b", "invalid_attribute_value"),
        ("contact_attributes", "shoe_size", "invalid_attribute_value"),
        ("contact_attributes", "tier", "invalid_attribute_value"),
        ("contact_attributes", "vegan", "unknown_contact"),
        ("contact_tags", "eco_conscious", "duplicate_tag"),
        ("contact_tags", "vip", "unknown_contact"),
        ("contacts", None, "missing_contact_id"),
    ]


def test_contacts_created_after_as_of_are_not_yet_in_the_models(build_raw: BuildRaw) -> None:
    tables = {
        "contacts": [
            contact("C1", "a@example.com", created_at="2026-03-31 23:59:59"),
            contact("C2", "b@example.com", created_at="2026-04-01 00:00:00"),
        ],
        "events": [event("E1", "C2", occurred_at="2026-03-30 00:00:00")],
    }
    build = build_raw(tables, as_of="2026-03-31", select=ADMISSION)
    assert build.query("select contact_id from int_contacts_resolved") == [("C1",)]
    assert build.query("select count(*) from int_events_resolved") == [(0,)]
