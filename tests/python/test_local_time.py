"""Contact-local time (docs/time.md): zones, fallbacks, birthdays and preferred open times, against zoneinfo.

As of 2025-12-15, so that the 90-day window holds the nights clocks went back in Europe
(26 October 2025) and in the United States (2 November 2025).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from conftest import BuildRaw

AS_OF = "2025-12-15"

# contact: (timezone, country, birth_date, [(UTC time of a human open, ...)])
CONTACTS: dict[str, tuple[str, str, str, list[str]]] = {
    # 01:30 happens twice on 2 November: 05:30 UTC (EDT) and 06:30 UTC (EST). In UTC hours 5, 6 and 14 tie.
    "NY": ("America/New_York", "US", "", ["2025-11-02 05:30:00", "2025-11-02 06:30:00", "2025-11-03 14:00:00"]),
    # 02:30 happens twice on 26 October: 00:30 UTC (CEST) and 01:30 UTC (CET).
    "BER": ("Europe/Berlin", "DE", "", ["2025-10-26 00:30:00", "2025-10-26 01:30:00", "2025-10-25 22:10:00"]),
    # +05:45: 18:20 UTC is 00:05 the next day, a Tuesday; 17:50 UTC is 23:35 on Monday.
    "KTM": ("Asia/Kathmandu", "NP", "", ["2025-12-01 18:20:00", "2025-12-01 18:20:00", "2025-12-01 17:50:00"]),
    # +05:30: 18:20 UTC is 23:50 on Monday, 18:35 and 18:40 UTC are past midnight.
    "IND": ("Asia/Kolkata", "IN", "", ["2025-12-01 18:40:00", "2025-12-01 18:20:00", "2025-12-01 18:35:00"]),
    # -03:30: 02:45 UTC on Monday 1 December is 23:15 on Sunday 30 November.
    "NFL": ("America/St_Johns", "CA", "", ["2025-12-01 02:45:00"] * 3),
    "FEW": ("Europe/Berlin", "DE", "", ["2025-12-01 10:00:00"] * 2),  # two opens: below the minimum of 3
    # Tokyo is a day ahead at the end of the as_of day (08:59 on 16 December).
    "TOK": ("Asia/Tokyo", "JP", "1990-12-16", []),
    "TOK2": ("Asia/Tokyo", "JP", "1990-12-15", []),
    "NYB": ("America/New_York", "US", "1980-12-15", []),
    # An unknown zone falls back to the country's; 29 February is kept on 28 February in 2026.
    "LEAP": ("Mars/Base", "JP", "2000-02-29", []),
    "NOWHERE": ("", "XX", "", []),  # no zone, a country without a fallback: UTC
    "BADZONE": ("GMT+1", "DE", "", []),
}
MACHINE_OPEN = ("FEW", "2025-12-02 10:00:00")  # a third open, but a machine's: still below the minimum

EXPECTED = {
    # contact: (local_time_zone, local_date_as_of, is_birthday_today_local, days_until_birthday_local,
    #           preferred_open_hour_local, preferred_open_weekday_local)
    "NY": ("America/New_York", "2025-12-15", False, None, 1, 7),
    "BER": ("Europe/Berlin", "2025-12-16", False, None, 2, 7),
    "KTM": ("Asia/Kathmandu", "2025-12-16", False, None, 0, 2),
    "IND": ("Asia/Kolkata", "2025-12-16", False, None, 0, 2),
    "NFL": ("America/St_Johns", "2025-12-15", False, None, 23, 7),
    "FEW": ("Europe/Berlin", "2025-12-16", False, None, None, None),
    "TOK": ("Asia/Tokyo", "2025-12-16", True, 0, None, None),
    "TOK2": ("Asia/Tokyo", "2025-12-16", False, 364, None, None),
    "NYB": ("America/New_York", "2025-12-15", True, 0, None, None),
    "LEAP": ("Asia/Tokyo", "2025-12-16", False, 74, None, None),
    "NOWHERE": ("UTC", "2025-12-15", False, None, None, None),
    "BADZONE": ("Europe/Berlin", "2025-12-16", False, None, None, None),
}


def by_zoneinfo(zone: str, opens: list[str]) -> tuple[str, int | None, int | None]:
    """The local date at the end of as_of and the preferred open hour and weekday, read with zoneinfo."""
    end = datetime.fromisoformat(f"{AS_OF} 23:59:59.999999").replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    local = [datetime.fromisoformat(o).replace(tzinfo=UTC).astimezone(ZoneInfo(zone)) for o in opens]
    if len(local) < 3:
        return end.date().isoformat(), None, None
    hours = Counter(t.hour for t in local)
    weekdays = Counter(t.isoweekday() for t in local)
    hour = min(hours, key=lambda h: (-hours[h], h))
    weekday = min(weekdays, key=lambda d: (-weekdays[d], d))
    return end.date().isoformat(), hour, weekday


def test_local_time_features_follow_each_contacts_zone(build_raw: BuildRaw) -> None:
    contacts: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for cid, (zone, country, birth, opens) in CONTACTS.items():
        contacts.append({"contact_id": cid, "email": f"{cid.lower()}@example.com", "timezone": zone,
                         "country": country, "birth_date": birth, "consent_status": "subscribed",
                         "created_at": "2025-01-01 00:00:00", "updated_at": "2025-01-01 00:00:00"})  # fmt: skip
        events += [{"event_id": f"{cid}-{i}", "contact_id": cid, "event_type": "email_opened", "message_id": f"m{i}",
                    "occurred_at": at, "is_machine_open": "false"} for i, at in enumerate(opens)]  # fmt: skip
    cid, at = MACHINE_OPEN
    events.append({"event_id": f"{cid}-machine", "contact_id": cid, "event_type": "email_opened", "message_id": "mm",
                   "occurred_at": at, "is_machine_open": "true"})  # fmt: skip
    build = build_raw({"contacts": contacts, "events": events}, as_of=AS_OF)
    got = {
        r[0]: (r[1], r[2].isoformat(), r[3], r[4], r[5], r[6])
        for r in build.query(
            "select contact_id, local_time_zone, local_date_as_of, is_birthday_today_local, days_until_birthday_local,"
            " preferred_open_hour_local, preferred_open_weekday_local from contact_features"
        )
    }
    assert got == EXPECTED

    for cid, (_, _, _, opens) in CONTACTS.items():
        local_date, hour, weekday = by_zoneinfo(EXPECTED[cid][0], opens)
        assert (local_date, hour, weekday) == (got[cid][1], got[cid][4], got[cid][5]), cid
    # 29 February 2000 is kept on 28 February 2026, 74 days after 16 December 2025.
    assert (date(2026, 2, 28) - date(2025, 12, 16)).days == EXPECTED["LEAP"][3]
    segment = dict(build.query("select contact_id, seg_birthday_today from contact_segments"))
    assert {c for c, member in segment.items() if member} == {"TOK", "NYB"}
