#!/usr/bin/env python3
"""Generate realistic synthetic raw marketing data for the segmentation warehouse.

Writes the landing tables of SPEC "Raw inputs" (contacts, events, contact_tags,
contact_attributes, suppressions, erasure_requests, fx_rates) as CSV or Parquet
files into one folder, ready for ``dbt build --vars '{raw_data_path: DIR}'``.

The output is deterministic for a given ``--seed`` and set of options: contacts are
generated in fixed-size chunks, each from its own child of the seed, and streamed
to disk, so memory stays bounded whatever ``--contacts`` is.

What makes it believable:
  * most contacts never buy; order values are log-normal (a few big spenders);
  * email engagement decays with the age of the subscription, varies per contact,
    and ~20 % of contacts read mail behind Apple Mail Privacy Protection
    (machine opens);
  * acquisition source, country, timezone, language and device vary per contact;
  * a small share of every table is dirty the way real exports are: mixed-case
    and padded emails, duplicate contact rows, people signed up twice, aliased and
    unknown event types, offsets on timestamps, unparseable and future timestamps,
    duplicate event ids, purchases without an order id, currencies without an FX
    rate, invalid attribute values, suppressions and erasure requests.

Examples:
    python scripts/generate_data.py --out seeds/demo            # the committed demo seeds
    python scripts/generate_data.py --contacts 1000000 --days 365 --format parquet --out data/1m
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CHUNK_CONTACTS = 20_000
"""Contacts per chunk; fixed so that the output never depends on memory settings."""

DEMO_DEFAULTS = {"seed": 42, "contacts": 2000, "days": 180, "end_date": "2026-10-31"}

TABLES = (
    "contacts",
    "events",
    "contact_tags",
    "contact_attributes",
    "suppressions",
    "erasure_requests",
    "fx_rates",
)

COUNTRIES = np.array(["DE", "FR", "NL", "GB", "US", "ES", "IT", "BE", "AT", "SE", "CH", "PL"])
COUNTRY_WEIGHTS = np.array([0.24, 0.14, 0.09, 0.11, 0.1, 0.08, 0.07, 0.04, 0.03, 0.04, 0.02, 0.04])
COUNTRY_INFO = {
    # country: (timezone, language, currency, utc offset in hours used for local timestamps)
    "DE": ("Europe/Berlin", "de", "EUR", 1),
    "FR": ("Europe/Paris", "fr", "EUR", 1),
    "NL": ("Europe/Amsterdam", "nl", "EUR", 1),
    "GB": ("Europe/London", "en", "GBP", 0),
    "US": ("America/New_York", "en", "USD", -5),
    "ES": ("Europe/Madrid", "es", "EUR", 1),
    "IT": ("Europe/Rome", "it", "EUR", 1),
    "BE": ("Europe/Brussels", "fr", "EUR", 1),
    "AT": ("Europe/Vienna", "de", "EUR", 1),
    "SE": ("Europe/Stockholm", "sv", "SEK", 1),
    "CH": ("Europe/Zurich", "de", "CHF", 1),
    "PL": ("Europe/Warsaw", "pl", "PLN", 1),
}
CITIES = {
    "DE": ["Berlin", "Hamburg", "Munich", "Cologne"],
    "FR": ["Paris", "Lyon", "Marseille", "Lille"],
    "NL": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"],
    "GB": ["London", "Manchester", "Leeds", "Bristol"],
    "US": ["New York", "Boston", "Chicago", "Austin"],
    "ES": ["Madrid", "Barcelona", "Valencia", "Seville"],
    "IT": ["Rome", "Milan", "Turin", "Naples"],
    "BE": ["Brussels", "Antwerp", "Ghent", "Liege"],
    "AT": ["Vienna", "Graz", "Linz", "Salzburg"],
    "SE": ["Stockholm", "Gothenburg", "Malmo", "Uppsala"],
    "CH": ["Zurich", "Geneva", "Basel", "Bern"],
    "PL": ["Warsaw", "Krakow", "Gdansk", "Wroclaw"],
}
FX_RATES = {"EUR": "1.0", "USD": "0.92", "GBP": "1.17", "SEK": "0.087", "PLN": "0.23"}
"""CHF is deliberately missing: Swiss revenue lands in rejected rows as missing_fx_rate."""

FIRST_NAMES = np.array(
    [
        "Anna",
        "Ben",
        "Clara",
        "David",
        "Emma",
        "Felix",
        "Greta",
        "Hugo",
        "Ines",
        "Jonas",
        "Klara",
        "Luca",
        "Mia",
        "Noah",
        "Olivia",
        "Paul",
        "Rosa",
        "Sam",
        "Tara",
        "Yusuf",
    ]
)
LAST_NAMES = np.array(
    [
        "Muller",
        "Martin",
        "de Vries",
        "Smith",
        "Johnson",
        "Garcia",
        "Rossi",
        "Peeters",
        "Gruber",
        "Andersson",
        "Meier",
        "Kowalski",
        "Dubois",
        "Jansen",
        "Brown",
        "Lopez",
    ]
)
DOMAINS = np.array(["gmail.com", "outlook.com", "yahoo.com", "web.de", "orange.fr", "icloud.com", "proton.me"])
DOMAIN_WEIGHTS = np.array([0.34, 0.16, 0.1, 0.12, 0.08, 0.14, 0.06])
SOURCES = np.array(["web_form", "newsletter", "store", "social", "api", "import", "sales_rep", "partner"])
SOURCE_WEIGHTS = np.array([0.32, 0.2, 0.18, 0.12, 0.05, 0.06, 0.04, 0.03])
SOURCE_SPELLINGS = {"web_form": "Web Form", "store": "STORE ", "social": "social", "newsletter": "News-Letter"}
DEVICES = np.array(["mobile", "desktop", "tablet", "other"])
DEVICE_WEIGHTS = np.array([0.55, 0.35, 0.08, 0.02])
CATEGORIES = np.array(["shoes", "apparel", "accessories", "outdoor", "home", "beauty"])
CATEGORY_WEIGHTS = np.array([0.26, 0.3, 0.14, 0.1, 0.12, 0.08])
TAGS = np.array(["eco_conscious", "vip", "newsletter_weekly", "wholesale", "runner", "gift_buyer"])
TAG_WEIGHTS = np.array([0.25, 0.05, 0.3, 0.05, 0.2, 0.15])
COLORS = np.array(["black", "white", "green", "blue", "red"])
INTERESTS = np.array(["running", "yoga", "hiking", "fashion", "cooking", "travel"])
UTM_SOURCES = np.array(["google", "facebook", "instagram", "newsletter", "direct", ""])
ALIASES = {
    # canonical type: spellings that real exports use for it (all in the mapping seed)
    "page_view": ["pageview", "Page View", "PAGE_VIEW"],
    "email_opened": ["open", "Email Opened", " email_opened "],
    "email_clicked": ["click", "EMAIL_CLICKED"],
    "purchase": ["order_completed", "Purchase"],
    "add_to_cart": ["cart_add", "Add To Cart"],
    "product_view": ["Product Viewed"],
}


OPTIONAL_EVENT_COLUMNS = (
    "campaign_id", "message_id", "order_id", "product_id", "category", "quantity", "revenue", "currency",
    "device_type", "url", "utm_source", "utm_medium", "utm_campaign", "bounce_type", "is_machine_open", "points",
)  # fmt: skip


@dataclass(frozen=True)
class Options:
    seed: int
    contacts: int
    days: int
    end_date: dt.date
    fmt: str
    out: Path
    activity: float = 1.0

    @property
    def end_ts(self) -> np.datetime64:
        """First second after the data window (exclusive end), in UTC."""
        return np.datetime64(self.end_date + dt.timedelta(days=1), "s")

    @property
    def start_ts(self) -> np.datetime64:
        return self.end_ts - np.timedelta64(self.days, "D")


class TableWriter:
    """Streams pyarrow tables of one schema to a CSV or Parquet file."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.fmt = fmt
        self.rows = 0
        self._writer: Any = None

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            if self.fmt == "csv":
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(str(self.path), table.schema, write_options=options)
            else:
                self._writer = pq.ParquetWriter(str(self.path), table.schema, compression="zstd")
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _fmt_ts(values: np.ndarray) -> pa.Array:
    """Format datetime64[s] values as 'YYYY-MM-DD HH:MM:SS' text."""
    return pc.strftime(pa.array(values.astype("datetime64[s]")), format="%Y-%m-%d %H:%M:%S")


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _str(values: np.ndarray | list[str]) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object).astype(str), pa.string())


def _pick(rng: np.random.Generator, values: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


@dataclass
class ContactChunk:
    """The per-contact state that events are generated from."""

    ids: np.ndarray  # numeric ids
    id_text: pa.Array
    email: pa.Array
    created: np.ndarray  # datetime64[s]
    country: np.ndarray
    subscribed: np.ndarray  # bool: emailable in the generator's world
    device: np.ndarray
    engagement: np.ndarray  # per-contact open propensity
    lifetime_days: np.ndarray  # how quickly engagement decays
    apple_mail: np.ndarray
    session_rate: np.ndarray  # expected site sessions per year
    buy_propensity: np.ndarray


def make_contacts(rng: np.random.Generator, first_id: int, n: int, opts: Options) -> tuple[ContactChunk, pa.Table]:
    ids = np.arange(first_id, first_id + n)
    id_text = _ids("C", ids, 7)
    first = FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), n)]
    last = LAST_NAMES[rng.integers(0, len(LAST_NAMES), n)]
    domain = _pick(rng, DOMAINS, DOMAIN_WEIGHTS, n)
    local = pc.utf8_lower(
        pc.binary_join_element_wise(
            _str(first), pc.replace_substring(_str(last), " ", ""), pc.cast(pa.array(ids), pa.string()), "."
        )
    )
    email = pc.binary_join_element_wise(local, _str(domain), "@")

    # People who signed up twice: reuse an earlier email of this chunk, differently spelled.
    dup = rng.random(n) < 0.02
    dup[0] = False
    source_idx = np.where(dup, (rng.random(n) * np.arange(n)).astype(int), np.arange(n))
    email_np = np.asarray(email.to_pylist(), dtype=object)
    invalid = rng.random(n) < 0.01
    # numpy's string functions cannot reduce empty arrays, hence the guards.
    if dup.any():
        email_np[dup] = np.char.add(np.char.upper(email_np[source_idx[dup]].astype(str)), "  ")
    if invalid.any():
        email_np[invalid] = np.char.replace(email_np[invalid].astype(str), "@", ".at.")
    email_np[rng.random(n) < 0.005] = ""
    email = _str(email_np)

    # Sign-ups accelerate towards the end of the window, and a third predate it.
    span = opts.days * 1.5
    age_days = span * (1 - rng.random(n) ** 0.8)
    created = opts.end_ts - (age_days * 86400).astype("timedelta64[s]")
    updated = created + (rng.random(n) * np.minimum(age_days, 60) * 86400).astype("timedelta64[s]")

    country_idx = rng.choice(len(COUNTRIES), size=n, p=COUNTRY_WEIGHTS / COUNTRY_WEIGHTS.sum())
    country = COUNTRIES[country_idx]
    timezone = np.array([COUNTRY_INFO[c][0] for c in COUNTRIES])[country_idx]
    language = np.array([COUNTRY_INFO[c][1] for c in COUNTRIES])[country_idx]
    city = np.array([CITIES[c][i] for c, i in zip(country, rng.integers(0, 4, n), strict=True)])

    source = _pick(rng, SOURCES, SOURCE_WEIGHTS, n)
    messy = rng.random(n) < 0.2
    source_text = source.astype(object)
    for canonical, spelling in SOURCE_SPELLINGS.items():
        source_text[messy & (source == canonical)] = spelling
    source_text[rng.random(n) < 0.03] = ""

    consent = rng.choice(
        np.array(["subscribed", "unsubscribed", "pending", ""]), size=n, p=[0.72, 0.1, 0.08, 0.1]
    ).astype(object)
    consent[(consent == "subscribed") & (rng.random(n) < 0.1)] = " Subscribed"
    birth = np.datetime64("1950-01-01") + rng.integers(0, 365 * 55, n).astype("timedelta64[D]")
    birth_text = np.where(rng.random(n) < 0.3, "", birth.astype(str))

    table = pa.table(
        {
            "contact_id": id_text,
            "email": email,
            "first_name": _str(first),
            "last_name": _str(last),
            "phone": _str(
                np.where(rng.random(n) < 0.5, "", np.char.add("+49", rng.integers(10**9, 10**10, n).astype(str)))
            ),
            "birth_date": _str(birth_text),
            "gender": _str(rng.choice(np.array(["female", "male", "diverse", ""]), n, p=[0.48, 0.4, 0.02, 0.1])),
            "country": _str(country),
            "region": _str(np.full(n, "")),
            "city": _str(city),
            "postal_code": _str(rng.integers(10000, 99999, n).astype(str)),
            "timezone": _str(timezone),
            "language": _str(language),
            "source": _str(source_text),
            "consent_status": _str(consent),
            "created_at": _fmt_ts(created),
            "updated_at": _fmt_ts(updated),
        }
    )
    # A later correction of some contacts: a second row for the same id.
    again = np.flatnonzero(rng.random(n) < 0.04)
    if len(again):
        later = updated[again] + (rng.random(len(again)) * 30 * 86400).astype("timedelta64[s]")
        changed = table.take(pa.array(again))
        new_consent = rng.choice(np.array(["unsubscribed", "subscribed"]), len(again), p=[0.6, 0.4])
        changed = changed.set_column(
            changed.schema.get_field_index("consent_status"), "consent_status", _str(new_consent)
        )
        changed = changed.set_column(changed.schema.get_field_index("updated_at"), "updated_at", _fmt_ts(later))
        table = pa.concat_tables([table, changed])

    subscribed = np.isin(consent, ["subscribed", " Subscribed"]) & ~invalid
    state = ContactChunk(
        ids=ids,
        id_text=id_text,
        email=email,
        created=created,
        country=country,
        subscribed=subscribed,
        device=_pick(rng, DEVICES, DEVICE_WEIGHTS, n),
        engagement=rng.beta(1.6, 3.5, n),
        lifetime_days=rng.lognormal(np.log(150), 0.7, n),
        apple_mail=rng.random(n) < 0.2,
        session_rate=rng.lognormal(np.log(3), 1.0, n),
        buy_propensity=rng.beta(0.6, 5, n),
    )
    return state, table


class EventBuffer:
    """Collects event columns as numpy/pyarrow pieces, then builds one table."""

    def __init__(self) -> None:
        self.parts: list[dict[str, Any]] = []

    def add(self, contact: np.ndarray, event_type: str | np.ndarray, at: np.ndarray, **cols: Any) -> None:
        n = len(contact)
        if n == 0:
            return
        types = np.full(n, event_type, dtype=object) if isinstance(event_type, str) else event_type
        part = {"contact": contact, "event_type": types, "at": at.astype("datetime64[s]")}
        for name, values in cols.items():
            part[name] = np.full(n, values, dtype=object) if np.isscalar(values) else values
        self.parts.append(part)

    def table(self) -> dict[str, np.ndarray]:
        """Every event column, concatenated; a column a part lacks is null there."""
        empty: dict[str, np.ndarray] = {
            "contact": np.array([], dtype=int),
            "at": np.array([], dtype="datetime64[s]"),
        }
        out = {}
        for name in ("contact", "event_type", "at", *OPTIONAL_EVENT_COLUMNS):
            pieces = [p.get(name, np.full(len(p["contact"]), None, dtype=object)) for p in self.parts]
            out[name] = np.concatenate(pieces) if pieces else empty.get(name, np.array([], dtype=object))
        return out


def make_events(rng: np.random.Generator, c: ContactChunk, opts: Options, event_seq_start: int) -> tuple[pa.Table, int]:
    buf = EventBuffer()
    n = len(c.ids)
    start, end = opts.start_ts, opts.end_ts

    # Email: one campaign every 7 days, each sent to about half of the subscribed list.
    campaign_days = np.arange(3, opts.days, 7)
    for day in campaign_days:
        send_at = start + np.timedelta64(int(day), "D") + np.timedelta64(9, "h")
        target = np.flatnonzero(c.subscribed & (c.created < send_at) & (rng.random(n) < 0.5))
        if len(target) == 0:
            continue
        m = len(target)
        at = send_at + (rng.random(m) * 3600).astype("timedelta64[s]")
        campaign = f"CMP{int(day):04d}"
        message = np.char.add(f"MSG{int(day):04d}-", (target % 2).astype(str)).astype(object)
        buf.add(target, "email_sent", at, campaign_id=campaign, message_id=message)
        outcome = rng.random(m)
        delivered = outcome < 0.972
        hard = (outcome >= 0.972) & (outcome < 0.978)
        soft = outcome >= 0.978
        later = at + np.timedelta64(30, "s")
        buf.add(
            target[delivered], "email_delivered", later[delivered], campaign_id=campaign, message_id=message[delivered]
        )
        buf.add(
            target[hard],
            "email_bounced",
            later[hard],
            campaign_id=campaign,
            message_id=message[hard],
            bounce_type="hard",
        )
        buf.add(
            target[soft],
            "email_bounced",
            later[soft],
            campaign_id=campaign,
            message_id=message[soft],
            bounce_type=np.where(rng.random(soft.sum()) < 0.8, "soft", "Soft").astype(object),
        )
        d = target[delivered]
        age = (send_at - c.created[d]).astype("timedelta64[D]").astype(float)
        p_open = c.engagement[d] * np.exp(-age / c.lifetime_days[d])
        opened = rng.random(len(d)) < p_open
        open_at = later[delivered] + (rng.exponential(6, len(d)) * 3600).astype("timedelta64[s]")
        open_type = np.where(rng.random(len(d)) < 0.05, "open", "email_opened").astype(object)
        buf.add(
            d[opened],
            open_type[opened],
            open_at[opened],
            campaign_id=campaign,
            message_id=message[delivered][opened],
            device_type=c.device[d[opened]].astype(object),
            is_machine_open="false",
        )
        machine = c.apple_mail[d] & (rng.random(len(d)) < 0.9)
        buf.add(
            d[machine],
            "email_opened",
            later[delivered][machine] + np.timedelta64(60, "s"),
            campaign_id=campaign,
            message_id=message[delivered][machine],
            is_machine_open="true",
        )
        clicked = opened & (rng.random(len(d)) < 0.22)
        buf.add(
            d[clicked],
            "email_clicked",
            open_at[clicked] + np.timedelta64(40, "s"),
            campaign_id=campaign,
            message_id=message[delivered][clicked],
            device_type=c.device[d[clicked]].astype(object),
            url="https://shop.example.com/campaign/" + campaign,
        )
        unsub = rng.random(len(d)) < 0.0025 * (1 + 3 * (p_open < 0.02))
        buf.add(
            d[unsub], "email_unsubscribed", open_at[unsub], campaign_id=campaign, message_id=message[delivered][unsub]
        )
        spam = rng.random(len(d)) < 0.0004
        buf.add(
            d[spam], "email_spam_complaint", open_at[spam], campaign_id=campaign, message_id=message[delivered][spam]
        )
        c.subscribed[d[unsub | spam]] = False
        c.subscribed[target[hard]] = False

    # Sign-up side events inside the window.
    new = np.flatnonzero(c.created >= start)
    form = new[rng.random(len(new)) < 0.45]
    buf.add(form, "form_submit", c.created[form] + np.timedelta64(5, "s"), url="https://shop.example.com/signup")
    subs = new[c.subscribed[new] & (rng.random(len(new)) < 0.6)]
    buf.add(subs, "subscribe", c.created[subs] + np.timedelta64(20, "s"))

    # Site sessions: browse, cart, checkout, purchase.
    sessions = rng.poisson(c.session_rate * opts.activity * opts.days / 365)
    owner = np.repeat(np.arange(n), sessions)
    lo = np.maximum(c.created[owner], start).astype("int64")
    at = (lo + rng.random(len(owner)) * (end.astype("int64") - lo)).astype("datetime64[s]")
    device = np.where(rng.random(len(owner)) < 0.8, c.device[owner], _pick(rng, DEVICES, DEVICE_WEIGHTS, len(owner)))
    device = np.where(rng.random(len(owner)) < 0.1, np.char.capitalize(device.astype(str)), device).astype(object)
    utm = UTM_SOURCES[rng.integers(0, len(UTM_SOURCES), len(owner))].astype(object)
    pages = rng.integers(1, 4, len(owner))
    pv_owner = np.repeat(np.arange(len(owner)), pages)
    pv_types = np.where(rng.random(len(pv_owner)) < 0.08, "pageview", "page_view").astype(object)
    buf.add(
        owner[pv_owner],
        pv_types,
        at[pv_owner] + (rng.random(len(pv_owner)) * 120).astype("timedelta64[s]"),
        device_type=device[pv_owner],
        url="https://shop.example.com/",
        utm_source=utm[pv_owner],
        utm_medium=np.where(utm[pv_owner] == "", "", "cpc").astype(object),
    )
    category = _pick(rng, CATEGORIES, CATEGORY_WEIGHTS, len(owner)).astype(object)
    product = np.char.add("P", rng.integers(1000, 1300, len(owner)).astype(str)).astype(object)
    viewed = rng.random(len(owner)) < 0.7
    t_view = at + np.timedelta64(150, "s")
    buf.add(
        owner[viewed],
        "product_view",
        t_view[viewed],
        product_id=product[viewed],
        category=category[viewed],
        device_type=device[viewed],
        url="https://shop.example.com/p/" + product[viewed],
    )
    carted = viewed & (rng.random(len(owner)) < 0.3 + c.buy_propensity[owner])
    t_cart = t_view + np.timedelta64(90, "s")
    buf.add(
        owner[carted],
        "add_to_cart",
        t_cart[carted],
        product_id=product[carted],
        category=category[carted],
        device_type=device[carted],
        quantity="1",
    )
    checkout = carted & (rng.random(len(owner)) < 0.55)
    t_check = t_cart + np.timedelta64(200, "s")
    buf.add(owner[checkout], "checkout_started", t_check[checkout], device_type=device[checkout])
    bought = checkout & (rng.random(len(owner)) < 0.4 + c.buy_propensity[owner])
    orders = np.flatnonzero(bought)
    order_ids = np.char.add("O", (c.ids[owner[orders]] * 1000 + np.arange(len(orders)) % 1000).astype(str)).astype(
        object
    )
    lines = rng.integers(1, 4, len(orders))
    line_order = np.repeat(np.arange(len(orders)), lines)
    qty = rng.choice(np.array([1, 1, 1, 2, 3]), len(line_order))
    price = np.round(rng.lognormal(np.log(35), 0.8, len(line_order)), 2)
    revenue = np.round(price * qty, 2)
    line_cat = np.where(
        np.arange(len(line_order)) == np.searchsorted(line_order, line_order),
        category[orders][line_order],
        _pick(rng, CATEGORIES, CATEGORY_WEIGHTS, len(line_order)),
    )
    currency = np.array([COUNTRY_INFO[x][2] for x in c.country[owner[orders]]], dtype=object)[line_order]
    currency = np.where(rng.random(len(line_order)) < 0.05, "", currency).astype(object)
    t_buy = t_check[orders][line_order] + np.timedelta64(120, "s")
    buy_type = np.where(rng.random(len(line_order)) < 0.05, "order_completed", "purchase").astype(object)
    buf.add(
        owner[orders][line_order],
        buy_type,
        t_buy,
        order_id=order_ids[line_order],
        product_id=np.char.add("P", rng.integers(1000, 1300, len(line_order)).astype(str)).astype(object),
        category=line_cat.astype(object),
        quantity=qty.astype(str).astype(object),
        revenue=np.char.mod("%.2f", revenue).astype(object),
        currency=currency,
        device_type=device[orders][line_order],
    )
    loyal = rng.random(len(orders)) < 0.3
    order_rev = np.bincount(line_order, weights=revenue, minlength=len(orders))
    buf.add(
        owner[orders[loyal]],
        "loyalty_points_earned",
        t_check[orders[loyal]] + np.timedelta64(600, "s"),
        order_id=order_ids[loyal],
        points=np.floor(order_rev[loyal]).astype(int).astype(str).astype(object),
    )
    # Refunds: a few orders come back, fully or in part, within a month.
    refunded = rng.random(len(orders)) < 0.05
    full = rng.random(len(orders)) < 0.6
    refund_amount = np.where(full, order_rev, np.round(order_rev * rng.uniform(0.2, 0.6, len(orders)), 2))
    t_refund = t_check[orders] + (rng.uniform(2, 30, len(orders)) * 86400).astype("timedelta64[s]")
    keep = refunded & (t_refund < end)
    buf.add(
        owner[orders[keep]],
        "refund",
        t_refund[keep],
        order_id=order_ids[keep],
        revenue=np.char.mod("%.2f", refund_amount[keep]).astype(object),
        currency=currency[np.searchsorted(line_order, np.flatnonzero(keep))],
    )
    # Advocacy after a purchase.
    review = rng.random(len(orders)) < 0.08
    t_review = t_check[orders] + np.timedelta64(7, "D")
    review &= t_review < end
    buf.add(owner[orders[review]], "review_submitted", t_review[review], order_id=order_ids[review])
    refer = rng.random(len(orders)) < 0.03
    t_refer = t_check[orders] + np.timedelta64(3, "D")
    refer &= t_refer < end
    buf.add(owner[orders[refer]], "referral_sent", t_refer[refer])
    push = rng.random(len(owner)) < 0.05
    buf.add(owner[push], "web_push_sent", at[push] - np.timedelta64(1, "h"))

    cols = buf.table()
    return events_table(rng, cols, c, opts, event_seq_start)


def events_table(
    rng: np.random.Generator, cols: dict[str, np.ndarray], c: ContactChunk, opts: Options, event_seq_start: int
) -> tuple[pa.Table, int]:
    at = cols["at"]
    keep = (at < opts.end_ts) & (at >= opts.start_ts - np.timedelta64(1, "D"))
    order = np.lexsort((cols["contact"][keep].astype(int), at[keep]))
    idx = np.flatnonzero(keep)[order]
    m = len(idx)
    if m == 0:
        names = ("event_id", "contact_id", "event_type", "occurred_at", *OPTIONAL_EVENT_COLUMNS)
        return pa.table({name: pa.array([], pa.string()) for name in names}), event_seq_start
    contact = cols["contact"][idx].astype(int)
    at = at[idx]
    event_type = cols["event_type"][idx].astype(object)

    # Aliased spellings of canonical types.
    for canonical, spellings in ALIASES.items():
        hit = np.flatnonzero((event_type == canonical) & (rng.random(m) < 0.06))
        event_type[hit] = np.array(spellings, dtype=object)[rng.integers(0, len(spellings), len(hit))]

    seq = event_seq_start + np.arange(m)
    event_id = np.asarray(_ids("E", seq, 10).to_pylist(), dtype=object)
    contact_id = np.asarray(c.id_text.take(pa.array(contact)).to_pylist(), dtype=object)

    # Some exports carry the contact's local offset instead of UTC.
    offset_h = np.array([COUNTRY_INFO[x][3] for x in c.country[contact]]) if m else np.array([], dtype=int)
    with_offset = rng.random(m) < 0.15
    local = at + (offset_h * 3600).astype("timedelta64[s]")
    sign = np.where(offset_h < 0, "-", "+")
    suffix = np.char.add(np.char.add(sign, np.char.zfill(np.abs(offset_h).astype(str), 2)), ":00")
    text_ts = np.asarray(_fmt_ts(at).to_pylist(), dtype=object)
    local_ts = np.asarray(pc.strftime(pa.array(local), format="%Y-%m-%dT%H:%M:%S").to_pylist(), dtype=object)
    text_ts[with_offset] = np.char.add(local_ts[with_offset].astype(str), suffix[with_offset])

    # Dirty rows, a few of each kind.
    def few(rate: float) -> np.ndarray:
        return np.flatnonzero(rng.random(m) < rate)

    event_id[few(0.001)] = ""
    contact_id[few(0.001)] = ""
    text_ts[few(0.001)] = "not a timestamp"
    future = few(0.0005)
    text_ts[future] = str(opts.end_date + dt.timedelta(days=400)) + " 12:00:00"
    event_type[few(0.001)] = "app_install"
    contact_id[few(0.001)] = "C9999999"
    purchases = np.flatnonzero(np.isin(event_type, ["purchase", "Purchase", "order_completed"]))
    order_id = cols["order_id"][idx].astype(object)
    order_id[purchases[rng.random(len(purchases)) < 0.01]] = ""

    def col(name: str) -> pa.Array:
        values = cols[name][idx]
        return pa.array(np.where(pd_isnull(values), "", values).astype(str), pa.string())

    table = pa.table(
        {
            "event_id": _str(event_id),
            "contact_id": _str(contact_id),
            "event_type": _str(event_type),
            "occurred_at": _str(text_ts),
            "campaign_id": col("campaign_id"),
            "message_id": col("message_id"),
            "order_id": _str(np.where(pd_isnull(order_id), "", order_id)),
            "product_id": col("product_id"),
            "category": col("category"),
            "quantity": col("quantity"),
            "revenue": col("revenue"),
            "currency": col("currency"),
            "device_type": col("device_type"),
            "url": col("url"),
            "utm_source": col("utm_source"),
            "utm_medium": col("utm_medium"),
            "utm_campaign": col("utm_campaign"),
            "bounce_type": col("bounce_type"),
            "is_machine_open": col("is_machine_open"),
            "points": col("points"),
        }
    )
    # Duplicate deliveries of the same event, sometimes a little later.
    dups = few(0.004)
    if len(dups):
        copies = table.take(pa.array(dups))
        table = pa.concat_tables([table, copies])
    return table, event_seq_start + m


def pd_isnull(values: np.ndarray) -> np.ndarray:
    return np.array([v is None for v in values], dtype=bool) if values.dtype == object else np.zeros(len(values), bool)


def make_side_tables(rng: np.random.Generator, c: ContactChunk, contacts: pa.Table) -> dict[str, pa.Table]:
    n = len(c.ids)
    n_tags = rng.choice(np.array([0, 0, 1, 1, 2, 3]), n)
    tag_owner = np.repeat(np.arange(n), n_tags)
    tag = _pick(rng, TAGS, TAG_WEIGHTS, len(tag_owner)).astype(object)
    tag[rng.random(len(tag)) < 0.1] = " Eco_Conscious"
    tagged = c.created[tag_owner] + np.timedelta64(1, "D")
    tag_contact = np.asarray(c.id_text.take(pa.array(tag_owner)).to_pylist(), dtype=object)
    tag_contact[rng.random(len(tag_contact)) < 0.005] = "C9999998"
    tags = pa.table({"contact_id": _str(tag_contact), "tag": _str(tag), "tagged_at": _fmt_ts(tagged)})

    rows: list[tuple[int, str, str, str]] = []
    for i in range(n):
        if rng.random() < 0.5:
            size = "abc" if rng.random() < 0.02 else str(int(rng.integers(36, 47)))
            rows.append((i, "shoe_size", size, "number"))
        if rng.random() < 0.4:
            rows.append((i, "favorite_color", str(COLORS[rng.integers(0, len(COLORS))]), "one_of"))
        if rng.random() < 0.35:
            k = int(rng.integers(1, 4))
            rows.append((i, "interests", "|".join(sorted(rng.choice(INTERESTS, k, replace=False))), "many_of"))
        if rng.random() < 0.3:
            flag = str(
                rng.choice(
                    np.array(["true", "false", "yes", "no", "1", "0", "TRUE", "maybe"]),
                    p=[0.2, 0.3, 0.1, 0.1, 0.1, 0.1, 0.09, 0.01],
                )
            )
            rows.append((i, "is_b2b", flag, "boolean"))
        if rng.random() < 0.005:
            rows.append((i, "loyalty_tier", "gold", "tier"))
    owner = np.array([r[0] for r in rows], dtype=int)
    attrs = pa.table(
        {
            "contact_id": c.id_text.take(pa.array(owner)) if len(owner) else pa.array([], pa.string()),
            "attribute_name": _str([r[1] for r in rows]),
            "attribute_value": _str([r[2] for r in rows]),
            "attribute_type": _str([r[3] for r in rows]),
            "updated_at": _fmt_ts(c.created[owner] + np.timedelta64(2, "D"))
            if len(owner)
            else pa.array([], pa.string()),
        }
    )

    emails = np.asarray(c.email.to_pylist(), dtype=object)
    sup = np.flatnonzero((rng.random(n) < 0.015) & (emails != ""))
    reason = rng.choice(np.array(["unsubscribed", "hard_bounce", "complaint", "manual"]), len(sup))
    sup_email = emails[sup].astype(str)
    sup_email = np.where(rng.random(len(sup)) < 0.3, np.char.upper(sup_email), sup_email)
    suppressions = pa.table(
        {
            "email": _str(sup_email),
            "reason": _str(reason),
            "suppressed_at": _fmt_ts(c.created[sup] + np.timedelta64(20, "D")),
        }
    )

    erase = np.flatnonzero(rng.random(n) < 0.003)
    by = rng.random(len(erase))
    erase_id = np.where(by < 0.7, np.asarray(c.id_text.take(pa.array(erase)).to_pylist(), dtype=object), "")
    erase_email = np.where(by >= 0.4, np.char.upper(emails[erase].astype(str)), "")
    erasures = pa.table(
        {
            "contact_id": _str(erase_id),
            "email": _str(erase_email),
            "requested_at": _fmt_ts(c.created[erase] + np.timedelta64(40, "D")),
        }
    )
    return {
        "contact_tags": tags,
        "contact_attributes": attrs,
        "suppressions": suppressions,
        "erasure_requests": erasures,
    }


def fx_table() -> pa.Table:
    return pa.table({"currency": _str(list(FX_RATES)), "rate_to_reporting": _str(list(FX_RATES.values()))})


def generate(opts: Options, progress: bool = True) -> dict[str, int]:
    """Write every landing table into ``opts.out``; return rows written per table."""
    opts.out.mkdir(parents=True, exist_ok=True)
    suffix = "csv" if opts.fmt == "csv" else "parquet"
    for table in TABLES:
        for ext in ("csv", "parquet"):
            stale = opts.out / f"{table}.{ext}"
            if ext != suffix and stale.exists():
                stale.unlink()  # one format per folder, so the loader's choice is never ambiguous
    writers = {t: TableWriter(opts.out / f"{t}.{suffix}", opts.fmt) for t in TABLES}
    children = np.random.SeedSequence(opts.seed).spawn((opts.contacts + CHUNK_CONTACTS - 1) // CHUNK_CONTACTS)
    event_seq = 1
    started = time.monotonic()
    try:
        for chunk_no, child in enumerate(children):
            rng = np.random.default_rng(child)
            first = chunk_no * CHUNK_CONTACTS + 1
            size = min(CHUNK_CONTACTS, opts.contacts - chunk_no * CHUNK_CONTACTS)
            state, contacts = make_contacts(rng, first, size, opts)
            writers["contacts"].write(contacts)
            events, event_seq = make_events(rng, state, opts, event_seq)
            writers["events"].write(events)
            for name, table in make_side_tables(rng, state, contacts).items():
                writers[name].write(table)
            if progress:
                done = min(opts.contacts, (chunk_no + 1) * CHUNK_CONTACTS)
                print(
                    f"\r{done:,}/{opts.contacts:,} contacts, {writers['events'].rows:,} events, "
                    f"{time.monotonic() - started:.1f}s",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
        writers["fx_rates"].write(fx_table())
    finally:
        for writer in writers.values():
            writer.close()
    if progress:
        print(file=sys.stderr)
    return {t: w.rows for t, w in writers.items()}


def parse_args(argv: list[str] | None = None) -> tuple[Options, bool]:
    """Options from the command line, and whether to be quiet."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=DEMO_DEFAULTS["seed"], help="random seed (default: %(default)s)")
    parser.add_argument(
        "--contacts", type=int, default=DEMO_DEFAULTS["contacts"], help="number of contact ids (default: %(default)s)"
    )
    parser.add_argument(
        "--days", type=int, default=DEMO_DEFAULTS["days"], help="days of event history (default: %(default)s)"
    )
    parser.add_argument(
        "--end-date",
        default=DEMO_DEFAULTS["end_date"],
        help="last day of the data, YYYY-MM-DD; use it as the build's as_of (default: %(default)s)",
    )
    parser.add_argument(
        "--format", dest="fmt", choices=["csv", "parquet"], default="csv", help="file format (default: %(default)s)"
    )
    parser.add_argument(
        "--activity",
        type=float,
        default=1.0,
        help="multiplies every contact's site sessions, hence browsing and buying events (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder, created if missing")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    if args.contacts < 1:
        parser.error("--contacts must be at least 1")
    if args.days < 1:
        parser.error("--days must be at least 1")
    if args.activity <= 0:
        parser.error("--activity must be positive")
    try:
        end_date = dt.date.fromisoformat(args.end_date)
    except ValueError:
        parser.error(f"--end-date must be YYYY-MM-DD, got {args.end_date!r}")
    return Options(args.seed, args.contacts, args.days, end_date, args.fmt, args.out, args.activity), args.quiet


def main(argv: list[str] | None = None) -> int:
    opts, quiet = parse_args(argv)
    started = time.monotonic()
    counts = generate(opts, progress=not quiet)
    if not quiet:
        summary = ", ".join(f"{t}={n:,}" for t, n in counts.items())
        print(f"wrote {opts.fmt} to {opts.out} in {time.monotonic() - started:.1f}s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
