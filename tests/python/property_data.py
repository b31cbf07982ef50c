"""Small random raw data sets for the property tests (test_properties.py).

Hypothesis draws each data set's *shape*: its size, which kinds of mess it holds
(duplicate contact rows, people merged by email, erasures, suppressions, exclusions,
bounces, consent changes, refunds, replayed and late events, offsets on timestamps,
rows to reject) and a seed. The rows come from `generate(shape, ns)`, seeded by the
shape, so a data set costs a dozen choices instead of thousands and fifty of them fit
in one example; shrinking a failure makes it smaller and turns its kinds of mess off.

Every key is namespaced (`p07-c03`, `u03@p07.example.com`): many data sets share one
warehouse and one build, and each can be checked on its own. Each row also carries
what the checks need to know about it (`_utc`: its time in UTC, `_day`: the day its
table's time falls on), kept out of the files by `write_landing`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import RAW_COLUMNS, write_table
from hypothesis import strategies as st

AS_OF = dt.date(2026, 6, 30)
"""The as_of of every property build; far enough before today that no generated time
is in the wall-clock future unless it is meant to be (FUTURE)."""
FUTURE = "2031-01-01 00:00:00"
FX_RATES = [
    {"currency": "EUR", "rate_to_reporting": "1.0"},
    {"currency": "USD", "rate_to_reporting": "0.92"},
    {"currency": "GBP", "rate_to_reporting": "1.17"},
]

Row = dict[str, Any]


@dataclass(frozen=True)
class Shape:
    """What one data set holds; drawn by Hypothesis, turned into rows by generate()."""

    seed: int
    contacts: int
    events: int
    duplicate_rows: bool = False
    shared_emails: bool = False
    erasures: bool = False
    suppressions: bool = False
    exclusions: bool = False
    replays: bool = False
    offsets: bool = False
    dirty: bool = False
    tags_and_attributes: bool = False


def shapes(max_contacts: int = 30, max_events: int = 300) -> st.SearchStrategy[Shape]:
    return st.builds(
        Shape,
        seed=st.integers(0, 2**31 - 1),
        contacts=st.integers(1, max_contacts),
        events=st.integers(0, max_events),
        duplicate_rows=st.booleans(),
        shared_emails=st.booleans(),
        erasures=st.booleans(),
        suppressions=st.booleans(),
        exclusions=st.booleans(),
        replays=st.booleans(),
        offsets=st.booleans(),
        dirty=st.booleans(),
        tags_and_attributes=st.booleans(),
    )


@dataclass
class Dataset:
    """The raw rows of one namespaced data set, and what the checks need to know about them."""

    ns: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    erased_ids: set[str] = field(default_factory=set)
    """The contact ids of the erased person, if any."""
    erased_tokens: set[str] = field(default_factory=set)
    """Every id, email, email hash and event id of an erased person (none may appear downstream)."""


CATEGORIES = ["shoes", "bags", "Shoes ", "outdoor"]
CHANNELS = [
    ("google", "cpc"),
    ("google", "organic"),
    ("facebook", "paid_social"),
    ("newsletter", "email"),
    ("", ""),
    ("partner", "affiliate"),
    ("Instagram", "social"),
]
EVENT_ALIASES = {
    "email_opened": ["email_opened", "Opened", " open "],
    "page_view": ["page_view", "PageView", "page view"],
    "purchase": ["purchase", "order_completed"],
}
TAGS = ["vip", " VIP ", "eco_conscious", "newsletter"]
TIME_ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "",
    "Mars/Olympus",
]


def _stamp(rng: random.Random, moment: dt.datetime, offsets: bool) -> str:
    """A UTC moment written the way exports write it: naive, with Z, or with an offset."""
    style = rng.randrange(4) if offsets else 0
    if style == 0:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if style == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    hours = rng.choice([2, -5, 9, 13])
    local = moment + dt.timedelta(hours=hours)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"


def _moment(rng: random.Random, earliest_days: int = 400, latest_days: int = -3) -> dt.datetime:
    """A time between `earliest_days` before AS_OF and `-latest_days` after it."""
    day = AS_OF - dt.timedelta(days=rng.randint(latest_days, earliest_days))
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=rng.randrange(86400))


def _email_variant(rng: random.Random, email: str, dirty: bool) -> str:
    if not dirty:
        return email
    return rng.choice([email, email.upper(), f"  {email} ", email.title()])


def _contacts(rng: random.Random, shape: Shape, ns: str) -> tuple[list[Row], dict[str, str]]:
    """Contact rows and each contact id's normalised email."""
    rows: list[Row] = []
    emails: dict[str, str] = {}
    for i in range(shape.contacts):
        contact_id = f"{ns}-c{i:02d}"
        email = f"u{i:02d}@{ns}.example.com"
        if shape.shared_emails and emails and rng.random() < 0.3:
            email = rng.choice(sorted(emails.values()))
        if shape.dirty and rng.random() < 0.1:
            email = f"u{i:02d}-at-{ns}.example.com"  # invalid: never sendable, never merged
        emails[contact_id] = email
        created = _moment(rng, 400, -2)
        versions = rng.randint(2, 3) if shape.duplicate_rows and rng.random() < 0.4 else 1
        updated = created
        for _ in range(versions):
            updated = updated + dt.timedelta(days=rng.randint(0, 60), seconds=rng.randrange(86400))
            rows.append(
                {
                    "contact_id": contact_id,
                    "email": _email_variant(rng, email, shape.dirty),
                    "first_name": rng.choice(["Ana", "Jonas", "", "Zoë"]),
                    "birth_date": rng.choice(["", "1990-02-28", "1984-06-30", "2000-02-29", "2030-01-01"]),
                    "country": rng.choice(["DE", "FR", "US", "CH", "", " de "]),
                    "timezone": rng.choice(TIME_ZONES),
                    "language": rng.choice(["de", "en", ""]),
                    "source": rng.choice(["web_form", "Store", "News-Letter", "social", "", "weird source"]),
                    "consent_status": rng.choice(
                        ["subscribed", "subscribed", "unsubscribed", "pending", "", " Subscribed ", "UNSUBSCRIBED"]
                    ),
                    "created_at": _stamp(rng, created, shape.offsets),
                    "updated_at": _stamp(rng, updated, shape.offsets),
                    "_utc": updated,
                    "_created_utc": created,
                }
            )
    if shape.dirty and rng.random() < 0.5:
        rows.append({"contact_id": "", "email": f"nobody@{ns}.example.com", "_utc": _moment(rng)})
    return rows, emails


class _Events:
    """Builds the event rows of one data set, flow by flow."""

    def __init__(self, rng: random.Random, shape: Shape, ns: str, contact_ids: list[str]) -> None:
        self.rng, self.shape, self.ns, self.contact_ids = rng, shape, ns, contact_ids
        self.rows: list[Row] = []
        self.orders: list[tuple[str, str, dt.datetime]] = []

    def add(self, contact_id: str, event_type: str, moment: dt.datetime, **values: Any) -> None:
        rng = self.rng
        source_type = rng.choice(EVENT_ALIASES.get(event_type, [event_type])) if self.shape.dirty else event_type
        self.rows.append(
            {
                "event_id": f"{self.ns}-e{len(self.rows):04d}",
                "contact_id": contact_id,
                "event_type": source_type,
                "occurred_at": _stamp(rng, moment, self.shape.offsets),
                "device_type": rng.choice(["mobile", "Desktop", "tablet", ""]),
                "_utc": moment,
                **values,
            }
        )

    def contact(self) -> str:
        rng = self.rng
        if self.shape.dirty and rng.random() < 0.05:
            return rng.choice([f"{self.ns}-ghost", ""])
        return rng.choice(self.contact_ids)

    def email_flow(self) -> None:
        rng, contact_id, sent = self.rng, self.contact(), _moment(self.rng)
        message = {
            "campaign_id": f"{self.ns}-cmp{rng.randrange(3)}",
            "message_id": rng.choice([f"{self.ns}-m{rng.randrange(6)}", ""]),
        }
        self.add(contact_id, "email_sent", sent, **message)
        outcome = rng.random()
        if outcome < 0.1:
            self.add(
                contact_id,
                "email_bounced",
                sent + dt.timedelta(minutes=1),
                bounce_type=rng.choice(["hard", "soft", "soft", "SOFT "]),
                **message,
            )
            return
        if outcome < 0.85:
            self.add(contact_id, "email_delivered", sent + dt.timedelta(minutes=1), **message)
        if rng.random() < 0.5:
            opened = sent + dt.timedelta(hours=rng.randint(1, 72))
            self.add(contact_id, "email_opened", opened, is_machine_open=rng.choice(["", "true", "false"]), **message)
            if rng.random() < 0.4:
                self.add(contact_id, "email_clicked", opened + dt.timedelta(minutes=2), **message)
        if rng.random() < 0.05:
            self.add(
                contact_id,
                rng.choice(["email_unsubscribed", "email_spam_complaint"]),
                sent + dt.timedelta(days=1),
                **message,
            )

    def order_flow(self) -> None:
        rng, contact_id, moment = self.rng, self.contact(), _moment(self.rng)
        order_id = f"{self.ns}-o{len(self.orders):03d}"
        currency = rng.choice(["EUR", "EUR", "USD", "", "usd", "JPY"])
        for _ in range(rng.randint(1, 3)):
            revenue = f"{rng.randint(0, 20000) / 100:.2f}"
            order = "" if self.shape.dirty and rng.random() < 0.05 else order_id
            self.add(
                contact_id,
                "purchase",
                moment,
                order_id=order,
                revenue=revenue,
                currency=currency,
                category=rng.choice(CATEGORIES),
                product_id=f"sku{rng.randrange(5)}",
                quantity=rng.choice(["", "1", "2"]),
            )
        self.orders.append((contact_id, order_id, moment))
        if rng.random() < 0.2:
            refunded = moment + dt.timedelta(days=rng.randint(1, 40))
            self.add(
                contact_id,
                "refund",
                refunded,
                order_id=order_id,
                currency=currency,
                revenue=f"{rng.randint(100, 30000) / 100:.2f}",
            )

    def site_flow(self) -> None:
        rng, contact_id, moment = self.rng, self.contact(), _moment(self.rng)
        source, medium = rng.choice(CHANNELS)
        category = rng.choice(CATEGORIES)
        self.add(
            contact_id,
            "page_view",
            moment,
            url=f"https://shop.example.com/c/{category.strip().lower()}",
            utm_source=source,
            utm_medium=medium,
        )
        steps = ["product_view", "add_to_cart", "checkout_started"][: rng.randint(0, 3)]
        # Some steps share the moment of the one before: sequences match them in order (docs/segments.md).
        offsets = itertools.accumulate(rng.choice([0, 1, 1]) for _ in steps)
        for step, offset in zip(steps, offsets, strict=True):
            self.add(
                contact_id,
                step,
                moment + dt.timedelta(minutes=offset),
                product_id=f"sku{rng.randrange(5)}",
                category=category,
            )
        if rng.random() < 0.2:
            self.add(
                contact_id,
                "site_search",
                moment + dt.timedelta(minutes=5),
                search_term=rng.choice(["Red Shoes", "bag", " trail  runners "]),
            )

    def other_flow(self) -> None:
        rng, contact_id, moment = self.rng, self.contact(), _moment(self.rng)
        kind = rng.choice(
            [
                "subscribe",
                "email_unsubscribed",
                "loyalty_points_earned",
                "loyalty_points_redeemed",
                "form_submit",
                "mystery",
            ]
        )
        if kind == "mystery" and not self.shape.dirty:
            kind = "form_submit"
        points = str(rng.randint(1, 300)) if kind.startswith("loyalty") else ""
        self.add(contact_id, kind, moment, points=points)

    def replay(self) -> None:
        """A replayed copy of an earlier event: the same id, sometimes claiming another time or contact."""
        rng = self.rng
        original = dict(rng.choice([row for row in self.rows if row["_utc"] is not None]))
        moment = original["_utc"] + dt.timedelta(hours=rng.choice([0, 0, 5, -30]))
        if rng.random() < 0.2:
            original["contact_id"] = rng.choice(self.contact_ids)
        original.update({"occurred_at": _stamp(rng, moment, self.shape.offsets), "_utc": moment})
        self.rows.append(original)

    def dirty_row(self) -> None:
        rng = self.rng
        self.add(self.contact(), "form_submit", _moment(rng))
        row = self.rows[-1]
        mess = rng.choice(["no_id", "no_time", "bad_time", "future"])
        if mess == "no_id":
            row["event_id"] = ""
        elif mess in ("no_time", "bad_time"):
            row["occurred_at"], row["_utc"] = ("" if mess == "no_time" else "next tuesday"), None
        else:
            row["occurred_at"], row["_utc"] = FUTURE, dt.datetime.fromisoformat(FUTURE)

    def generate(self) -> list[Row]:
        flows = [self.email_flow] * 8 + [self.order_flow] * 3 + [self.site_flow] * 6 + [self.other_flow] * 2
        while len(self.rows) < self.shape.events:
            self.rng.choice(flows)()
            if self.shape.replays and self.rng.random() < 0.1:
                self.replay()
            if self.shape.dirty and self.rng.random() < 0.05:
                self.dirty_row()
        return self.rows


def _sha256(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()


def generate(shape: Shape, ns: str) -> Dataset:
    """The raw rows of one data set, deterministic for its shape and namespace."""
    rng = random.Random(f"{shape.seed}-{ns}")
    data = Dataset(ns)
    contacts, emails = _contacts(rng, shape, ns)
    contact_ids = sorted(emails)
    events = _Events(rng, shape, ns, contact_ids).generate()
    data.tables = {
        "contacts": contacts,
        "events": events,
        "contact_tags": [],
        "contact_attributes": [],
        "suppressions": [],
        "erasure_requests": [],
        "exclusions": [],
    }
    valid = {cid: email for cid, email in emails.items() if "@" in email}
    if shape.tags_and_attributes:
        for contact_id in rng.sample(contact_ids, k=min(len(contact_ids), 1 + len(contact_ids) // 2)):
            moment = _moment(rng)
            tagged_at = "" if rng.random() < 0.2 else _stamp(rng, moment, shape.offsets)
            data.tables["contact_tags"].append(
                {
                    "contact_id": contact_id,
                    "tag": rng.choice(TAGS),
                    "tagged_at": tagged_at,
                    "_utc": None if not tagged_at else moment,
                }
            )
            name, value, kind = rng.choice(
                [
                    ("shoe_size", "42", "number"),
                    ("shoe_size", "forty", "number"),
                    ("favorite_color", "blue", "one_of"),
                    ("interests", "running|Yoga", "many_of"),
                    ("is_b2b", rng.choice(["yes", "FALSE", "maybe"]), "boolean"),
                    ("is_b2b", "1", "text"),
                ]
            )
            data.tables["contact_attributes"].append(
                {
                    "contact_id": contact_id,
                    "attribute_name": name,
                    "attribute_value": value,
                    "attribute_type": kind,
                    "updated_at": _stamp(rng, moment, shape.offsets),
                    "_utc": moment,
                }
            )
    if shape.suppressions and valid:
        for contact_id in rng.sample(sorted(valid), k=min(len(valid), 2)):
            moment = _moment(rng, 400, -2)
            data.tables["suppressions"].append(
                {
                    "email": _email_variant(rng, valid[contact_id], True),
                    "reason": rng.choice(["manual", "complaint", "hard_bounce"]),
                    "suppressed_at": _stamp(rng, moment, False),
                    "_utc": moment,
                }
            )
    if shape.exclusions and valid:
        moment = _moment(rng)
        pattern = rng.choice([rng.choice(sorted(valid)), valid[rng.choice(sorted(valid))], f"@{ns}.example.com"])
        until = rng.choice(
            ["", (AS_OF + dt.timedelta(days=10)).isoformat(), (AS_OF - dt.timedelta(days=10)).isoformat()]
        )
        data.tables["exclusions"].append(
            {
                "pattern": pattern,
                "reason": "legal_hold",
                "excluded_at": _stamp(rng, moment, False),
                "until": until,
                "_utc": moment,
            }
        )
    if shape.erasures and contact_ids:
        target = rng.choice(contact_ids)
        moment = _moment(rng, 200, -5)
        by_email = target in valid and rng.random() < 0.5
        data.tables["erasure_requests"].append(
            {
                "contact_id": "" if by_email else target,
                "email": _email_variant(rng, valid[target], True) if by_email else "",
                "requested_at": _stamp(rng, moment, False),
                "_utc": moment,
            }
        )
        person = {target} | {cid for cid, email in valid.items() if target in valid and email == valid[target]}
        data.erased_ids = person
        data.erased_tokens = person | {valid[cid] for cid in person if cid in valid}
        data.erased_tokens |= {_sha256(valid[cid]) for cid in person if cid in valid}
        copies: dict[str, set[bool]] = {}
        for row in events:
            copies.setdefault(row["event_id"], set()).add(row["contact_id"] in person)
        data.erased_tokens |= {event_id for event_id, erased in copies.items() if event_id and erased == {True}}
    return data


def write_landing(datasets: list[Dataset], folder: Path, day_of: Any = None, placeholder: bool = True) -> Path:
    """Write the data sets' rows as landing CSV files: one file per table, or, with `day_of(table, row)`
    giving each row's landing day, a folder per table with one file per landing day (a row whose
    day is None is not written: it has not landed, or landed before). A table without rows gets a
    header-only file unless `placeholder` is false."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in RAW_COLUMNS:
        rows = FX_RATES if table == "fx_rates" else [row for data in datasets for row in data.tables.get(table, [])]
        batched = day_of is not None and table != "fx_rates"
        files: dict[Path, list[Row]] = {}
        for row in rows:
            day = day_of(table, row) if batched else None
            if not batched:
                files.setdefault(folder / f"{table}.csv", []).append(row)
            elif day is not None:
                files.setdefault(folder / table / f"{day.isoformat()}.csv", []).append(row)
        if not files and placeholder:
            files[folder / table / "empty.csv" if batched else folder / f"{table}.csv"] = []
        for path, group in sorted(files.items()):
            path.parent.mkdir(exist_ok=True)
            write_table(path, table, group)
    return folder
