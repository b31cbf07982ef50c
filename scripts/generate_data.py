#!/usr/bin/env python3
"""Generate realistic synthetic raw marketing data for the segmentation warehouse.

Writes the landing tables (docs/landing.md: contacts, events, contact_tags,
contact_attributes, suppressions, erasure_requests, fx_rates) as CSV or Parquet into
one folder, ready for ``dbt build --vars '{raw_data_path: DIR}'``: one file per table,
or with ``--batches daily`` one folder per table holding a file per landing day
(``events/2026-10-31.parquet``), the way EL tools deliver data.

The output is deterministic for a given ``--seed`` and set of options: contacts are
generated in fixed-size chunks, each from its own child of the seed, and streamed
to disk, so memory stays bounded whatever ``--contacts`` is. Every column is built
with NumPy and Arrow compute (no per-row Python), so 1M contacts and ~50M events take
a few minutes.

What makes it believable:
  * most contacts never buy; order values are log-normal (a few big spenders), and
    buyers come back at their own rate;
  * email engagement decays with the age of the subscription, varies per contact,
    and ~20 % of contacts read mail behind Apple Mail Privacy Protection
    (machine opens);
  * visits come from search, social, email, affiliates or nowhere (utm_source /
    utm_medium), land on category, product, search and sale pages, and people search;
  * loyalty points are earned on orders and redeemed later;
  * acquisition source, country, time zone, language and device vary per contact;
  * a small share of every table is dirty the way real exports are: mixed-case
    and padded emails, duplicate contact rows, people signed up twice, aliased and
    unknown event types, offsets on timestamps, unparseable and future timestamps,
    duplicate event ids, purchases without an order id, currencies without an FX
    rate, invalid attribute values and time zones, suppressions and erasure requests;
  * in daily batches, a few events land days late (up to 60) and some are replayed.

Examples:
    python scripts/generate_data.py --out seeds/demo            # the committed demo seeds
    python scripts/generate_data.py --contacts 1000000 --days 365 --format parquet --out data/1m
    python scripts/generate_data.py --contacts 5000 --batches daily --format parquet --out data/daily
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
    "exclusions",
)

COUNTRIES = np.array(["DE", "FR", "NL", "GB", "US", "ES", "IT", "BE", "AT", "SE", "CH", "PL", "IN", "AU"])
COUNTRY_WEIGHTS = np.array([0.24, 0.14, 0.09, 0.11, 0.1, 0.08, 0.07, 0.04, 0.03, 0.04, 0.02, 0.04, 0.01, 0.01])
COUNTRY_INFO = {
    # country: (time zones, language, currency, utc offset in hours used for local timestamps)
    "DE": (["Europe/Berlin"], "de", "EUR", 1),
    "FR": (["Europe/Paris"], "fr", "EUR", 1),
    "NL": (["Europe/Amsterdam"], "nl", "EUR", 1),
    "GB": (["Europe/London"], "en", "GBP", 0),
    "US": (["America/New_York", "America/Chicago", "America/Los_Angeles"], "en", "USD", -5),
    "ES": (["Europe/Madrid"], "es", "EUR", 1),
    "IT": (["Europe/Rome"], "it", "EUR", 1),
    "BE": (["Europe/Brussels"], "fr", "EUR", 1),
    "AT": (["Europe/Vienna"], "de", "EUR", 1),
    "SE": (["Europe/Stockholm"], "sv", "SEK", 1),
    "CH": (["Europe/Zurich"], "de", "CHF", 1),
    "PL": (["Europe/Warsaw"], "pl", "PLN", 1),
    "IN": (["Asia/Kolkata"], "en", "USD", 5),
    "AU": (["Australia/Sydney", "Australia/Adelaide"], "en", "USD", 10),
}
ODD_TIMEZONES = np.array(["", "", "Europe/Berln", "GMT+1", "Asia/Kathmandu", "America/St_Johns"])
"""Time zones some contacts carry instead of their country's: empty, misspelt, or 45/30-minute offsets."""
CITIES = {
    "DE": ["Berlin", "Hamburg", "Munich", "Cologne"],
    "FR": ["Paris", "Lyon", "Marseille", "Lille"],
    "NL": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"],
    "GB": ["London", "Manchester", "Leeds", "Bristol"],
    "US": ["New York", "Chicago", "Los Angeles", "Austin"],
    "ES": ["Madrid", "Barcelona", "Valencia", "Seville"],
    "IT": ["Rome", "Milan", "Turin", "Naples"],
    "BE": ["Brussels", "Antwerp", "Ghent", "Liege"],
    "AT": ["Vienna", "Graz", "Linz", "Salzburg"],
    "SE": ["Stockholm", "Gothenburg", "Malmo", "Uppsala"],
    "CH": ["Zurich", "Geneva", "Basel", "Bern"],
    "PL": ["Warsaw", "Krakow", "Gdansk", "Wroclaw"],
    "IN": ["Mumbai", "Delhi", "Bangalore", "Pune"],
    "AU": ["Sydney", "Adelaide", "Melbourne", "Perth"],
}
FX_RATES = {"EUR": "1.0", "USD": "0.92", "GBP": "1.17", "SEK": "0.087", "PLN": "0.23"}
"""CHF is deliberately missing: Swiss revenue lands in rejected rows as missing_fx_rate."""

FIRST_NAMES = np.array(
    ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas",
     "Klara", "Luca", "Mia", "Noah", "Olivia", "Paul", "Rosa", "Sam", "Tara", "Yusuf"]
)  # fmt: skip
LAST_NAMES = np.array(
    ["Muller", "Martin", "de Vries", "Smith", "Johnson", "Garcia", "Rossi", "Peeters",
     "Gruber", "Andersson", "Meier", "Kowalski", "Dubois", "Jansen", "Brown", "Lopez"]
)  # fmt: skip
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
SEARCH_TERMS = np.array(
    ["running shoes", "trail shoes", "yoga mat", "rain jacket", "gift card", "sale", "sneakers", "backpack",
     "scented candle", "face cream"]
)  # fmt: skip
TRAFFIC = [
    # (utm_source, utm_medium, utm_campaign, weight): where a site session comes from
    ("", "", "", 0.34),
    ("google", "cpc", "brand_search", 0.14),
    ("bing", "cpc", "generic_search", 0.03),
    ("google", "organic", "", 0.12),
    ("facebook", "paid_social", "autumn_sale", 0.07),
    ("instagram", "social", "", 0.08),
    ("Facebook", "Social", "", 0.02),
    ("newsletter", "email", "weekly_news", 0.1),
    ("partner_blog", "affiliate", "partner_program", 0.04),
    ("ad_network", "display", "retargeting", 0.03),
    ("forum.example.org", "referral", "", 0.03),
]
ALIASES = {
    # canonical type: spellings that real exports use for it (all in the mapping seed)
    "page_view": ["pageview", "Page View", "PAGE_VIEW"],
    "email_opened": ["open", "Email Opened", " email_opened "],
    "email_clicked": ["click", "EMAIL_CLICKED"],
    "purchase": ["order_completed", "Purchase"],
    "add_to_cart": ["cart_add", "Add To Cart"],
    "product_view": ["Product Viewed"],
    "site_search": ["search", "Products Searched"],
}
SITE = "https://shop.example.com"

OPTIONAL_EVENT_COLUMNS = (
    "campaign_id", "message_id", "order_id", "product_id", "category", "quantity", "revenue", "currency",
    "device_type", "url", "utm_source", "utm_medium", "utm_campaign", "bounce_type", "is_machine_open", "points",
    "search_term",
)  # fmt: skip
EVENT_COLUMNS = ("event_id", "contact_id", "event_type", "occurred_at", *OPTIONAL_EVENT_COLUMNS)
MAX_LATE_DAYS = 60


@dataclass(frozen=True)
class Options:
    seed: int
    contacts: int
    days: int
    end_date: dt.date
    fmt: str
    out: Path
    activity: float = 1.0
    batches: str = "none"

    @property
    def end_ts(self) -> np.datetime64:
        """First second after the data window (exclusive end), in UTC."""
        return np.datetime64(self.end_date + dt.timedelta(days=1), "s")

    @property
    def start_ts(self) -> np.datetime64:
        return self.end_ts - np.timedelta64(self.days, "D")


# --- Arrow helpers: every string column is built in Arrow's C++ kernels ---------------------------


def text(values: Any) -> pa.Array:
    """A string array from a NumPy array or list of str."""
    return pa.array(np.asarray(values).astype(str), pa.string())


def repeat(value: str | None, n: int) -> pa.Array:
    return pa.nulls(n, pa.string()) if value is None else pa.repeat(pa.scalar(value, pa.string()), n)


def vocab(words: Any, codes: np.ndarray) -> pa.Array:
    """words[codes] as a string array (a dictionary take, no Python per row)."""
    return text(words).take(pa.array(codes.astype(np.int64)))


def join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    return join(prefix, pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0"))


def amounts(cents: np.ndarray) -> pa.Array:
    """Whole cents as 'E.CC' text."""
    euros = pc.cast(pa.array(cents // 100), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), width=2, padding="0")
    return join(euros, ".", rest)


def stamps(values: np.ndarray, separator: str = " ") -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS' text (a cast: strftime is 30 times slower)."""
    formatted = pc.cast(pa.array(values.astype("datetime64[s]")), pa.string())
    return formatted if separator == " " else pc.replace_substring(formatted, " ", separator)


def days(values: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD' text."""
    return pc.cast(pa.array(values.astype("datetime64[D]")), pa.string())


def pick(rng: np.random.Generator, n_values: int, weights: np.ndarray, size: int) -> np.ndarray:
    """Codes 0..n_values-1 drawn with the given weights."""
    return rng.choice(n_values, size=size, p=weights / weights.sum())


def blank_nulls(table: pa.Table) -> pa.Table:
    """Empty text instead of null, as raw exports have it."""
    return pa.table({name: pc.fill_null(table[name], "") for name in table.column_names})


class TableWriter:
    """Streams Arrow tables of one schema to a CSV or Parquet file."""

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


# --- Contacts ------------------------------------------------------------------------------------


@dataclass
class ContactChunk:
    """The per-contact state that events are generated from."""

    ids: np.ndarray  # numeric ids
    id_text: pa.Array
    email: pa.Array
    created: np.ndarray  # datetime64[s]
    country: np.ndarray  # codes into COUNTRIES
    subscribed: np.ndarray  # bool: emailable in the generator's world
    device: np.ndarray  # codes into DEVICES
    engagement: np.ndarray  # per-contact open propensity
    lifetime_days: np.ndarray  # how quickly engagement decays
    apple_mail: np.ndarray
    session_rate: np.ndarray  # expected site sessions per year
    buy_propensity: np.ndarray
    landed: dict[str, np.ndarray] = field(default_factory=dict)


def make_contacts(rng: np.random.Generator, first_id: int, n: int, opts: Options) -> tuple[ContactChunk, pa.Table]:
    ids_ = np.arange(first_id, first_id + n)
    id_text = ids("C", ids_, 7)
    first = rng.integers(0, len(FIRST_NAMES), n)
    last = rng.integers(0, len(LAST_NAMES), n)
    domain = pick(rng, len(DOMAINS), DOMAIN_WEIGHTS, n)
    local = pc.utf8_lower(
        pc.binary_join_element_wise(
            vocab(FIRST_NAMES, first),
            vocab(np.char.replace(LAST_NAMES, " ", ""), last),
            pc.cast(pa.array(ids_), pa.string()),
            ".",
        )
    )
    email = join(local, "@", vocab(DOMAINS, domain))

    # People who signed up twice: reuse an earlier email of this chunk, differently spelled.
    dup = rng.random(n) < 0.02
    dup[0] = False
    source_idx = np.where(dup, (rng.random(n) * np.arange(n)).astype(int), np.arange(n))
    respelt = join(pc.utf8_upper(email.take(pa.array(source_idx))), "  ")
    invalid = rng.random(n) < 0.01
    broken = pc.replace_substring(email, "@", ".at.")
    empty = rng.random(n) < 0.005
    email = pc.if_else(pa.array(dup), respelt, email)
    email = pc.if_else(pa.array(invalid), broken, email)
    email = pc.if_else(pa.array(empty), "", email)

    # Sign-ups accelerate towards the end of the window, and a third predate it.
    span = opts.days * 1.5
    age_days = span * (1 - rng.random(n) ** 0.8)
    created = opts.end_ts - (age_days * 86400).astype("timedelta64[s]")
    updated = created + (rng.random(n) * np.minimum(age_days, 60) * 86400).astype("timedelta64[s]")

    country = pick(rng, len(COUNTRIES), COUNTRY_WEIGHTS, n)
    zone_choice = rng.integers(0, 3, n)
    zones = np.array([COUNTRY_INFO[c][0][z % len(COUNTRY_INFO[c][0])] for c in COUNTRIES for z in range(3)])
    timezone = vocab(zones, country * 3 + zone_choice)
    odd = rng.random(n) < 0.02
    timezone = pc.if_else(pa.array(odd), vocab(ODD_TIMEZONES, rng.integers(0, len(ODD_TIMEZONES), n)), timezone)
    language = vocab([COUNTRY_INFO[c][1] for c in COUNTRIES], country)
    cities = np.array([CITIES[c][i] for c in COUNTRIES for i in range(4)])
    city = vocab(cities, country * 4 + rng.integers(0, 4, n))

    source = pick(rng, len(SOURCES), SOURCE_WEIGHTS, n)
    spelled = np.array([SOURCE_SPELLINGS.get(s, s) for s in SOURCES])
    messy = rng.random(n) < 0.2
    source_text = pc.if_else(pa.array(messy), vocab(spelled, source), vocab(SOURCES, source))
    source_text = pc.if_else(pa.array(rng.random(n) < 0.03), "", source_text)

    consents = np.array(["subscribed", "unsubscribed", "pending", "", " Subscribed"])
    consent = rng.choice(4, size=n, p=[0.72, 0.1, 0.08, 0.1])
    consent[(consent == 0) & (rng.random(n) < 0.1)] = 4
    birth = np.datetime64("1950-01-01") + rng.integers(0, 365 * 55, n).astype("timedelta64[D]")
    birth_text = pc.if_else(pa.array(rng.random(n) < 0.3), "", days(birth))
    phones = join("+49", pc.cast(pa.array(rng.integers(10**9, 10**10, n)), pa.string()))

    table = pa.table(
        {
            "contact_id": id_text,
            "email": email,
            "first_name": vocab(FIRST_NAMES, first),
            "last_name": vocab(LAST_NAMES, last),
            "phone": pc.if_else(pa.array(rng.random(n) < 0.5), "", phones),
            "birth_date": birth_text,
            "gender": vocab(["female", "male", "diverse", ""], rng.choice(4, n, p=[0.48, 0.4, 0.02, 0.1])),
            "country": vocab(COUNTRIES, country),
            "region": repeat("", n),
            "city": city,
            "postal_code": pc.cast(pa.array(rng.integers(10000, 99999, n)), pa.string()),
            "timezone": timezone,
            "language": language,
            "source": source_text,
            "consent_status": vocab(consents, consent),
            "created_at": stamps(created),
            "updated_at": stamps(updated),
        }
    )
    landed = updated
    # A later correction of some contacts: a second row for the same id.
    again = np.flatnonzero(rng.random(n) < 0.04)
    if len(again):
        later = updated[again] + (rng.random(len(again)) * 30 * 86400).astype("timedelta64[s]")
        changed = table.take(pa.array(again))
        new_consent = vocab(["unsubscribed", "subscribed"], rng.choice(2, len(again), p=[0.6, 0.4]))
        changed = changed.set_column(changed.schema.get_field_index("consent_status"), "consent_status", new_consent)
        changed = changed.set_column(changed.schema.get_field_index("updated_at"), "updated_at", stamps(later))
        table = pa.concat_tables([table, changed])
        landed = np.concatenate([landed, later])

    subscribed = np.isin(consent, [0, 4]) & ~invalid
    state = ContactChunk(
        ids=ids_,
        id_text=id_text,
        email=email,
        created=created,
        country=country,
        subscribed=subscribed,
        device=pick(rng, len(DEVICES), DEVICE_WEIGHTS, n),
        engagement=rng.beta(1.6, 3.5, n),
        lifetime_days=rng.lognormal(np.log(150), 0.7, n),
        apple_mail=rng.random(n) < 0.2,
        session_rate=rng.lognormal(np.log(3), 1.0, n),
        buy_propensity=rng.beta(0.6, 5, n),
    )
    state.landed["contacts"] = landed
    return state, table


# --- Events --------------------------------------------------------------------------------------


class EventParts:
    """Event columns collected part by part: contact and time as NumPy, the rest as Arrow strings."""

    def __init__(self) -> None:
        self.contact: list[np.ndarray] = []
        self.at: list[np.ndarray] = []
        self.columns: dict[str, list[pa.Array]] = {name: [] for name in ("event_type", *OPTIONAL_EVENT_COLUMNS)}

    def add(self, contact: np.ndarray, event_type: str | pa.Array, at: np.ndarray, **cols: str | pa.Array) -> None:
        n = len(contact)
        if n == 0:
            return
        self.contact.append(contact)
        self.at.append(at.astype("datetime64[s]"))
        for name, pieces in self.columns.items():
            value = event_type if name == "event_type" else cols.get(name)
            pieces.append(value if isinstance(value, pa.Array) else repeat(value, n))

    def build(self) -> tuple[np.ndarray, np.ndarray, dict[str, pa.Array]]:
        if not self.contact:
            return (
                np.array([], int),
                np.array([], "datetime64[s]"),
                {k: pa.array([], pa.string()) for k in self.columns},
            )
        columns = {name: pa.concat_arrays(pieces) for name, pieces in self.columns.items()}
        return np.concatenate(self.contact), np.concatenate(self.at), columns


def email_events(rng: np.random.Generator, c: ContactChunk, opts: Options, parts: EventParts) -> None:
    """One campaign every 7 days, each sent to about half of the subscribed list."""
    n = len(c.ids)
    for day in np.arange(3, opts.days, 7):
        send_at = opts.start_ts + np.timedelta64(int(day), "D") + np.timedelta64(9, "h")
        target = np.flatnonzero(c.subscribed & (c.created < send_at) & (rng.random(n) < 0.5))
        if len(target) == 0:
            continue
        m = len(target)
        at = send_at + (rng.random(m) * 3600).astype("timedelta64[s]")
        campaign = f"CMP{int(day):04d}"
        message = vocab([f"MSG{int(day):04d}-0", f"MSG{int(day):04d}-1"], target % 2)
        email = {"campaign_id": campaign}
        parts.add(target, "email_sent", at, message_id=message, **email)
        outcome = rng.random(m)
        delivered = outcome < 0.972
        hard = (outcome >= 0.972) & (outcome < 0.978)
        soft = outcome >= 0.978
        later = at + np.timedelta64(30, "s")

        def sub(mask: np.ndarray, message: pa.Array = message) -> pa.Array:
            return message.filter(pa.array(mask))

        parts.add(target[delivered], "email_delivered", later[delivered], message_id=sub(delivered), **email)
        parts.add(target[hard], "email_bounced", later[hard], message_id=sub(hard), bounce_type="hard", **email)
        soft_type = vocab(["soft", "Soft"], (rng.random(int(soft.sum())) >= 0.8).astype(int))
        parts.add(target[soft], "email_bounced", later[soft], message_id=sub(soft), bounce_type=soft_type, **email)

        d = target[delivered]
        d_message = sub(delivered)
        age = (send_at - c.created[d]).astype("timedelta64[D]").astype(float)
        p_open = c.engagement[d] * np.exp(-age / c.lifetime_days[d])
        opened = rng.random(len(d)) < p_open
        open_at = later[delivered] + (rng.exponential(6, len(d)) * 3600).astype("timedelta64[s]")
        open_type = vocab(["email_opened", "open"], (rng.random(len(d)) < 0.05).astype(int))
        device = vocab(DEVICES, c.device[d])

        def on(mask: np.ndarray, array: pa.Array) -> pa.Array:
            return array.filter(pa.array(mask))

        parts.add(d[opened], on(opened, open_type), open_at[opened], message_id=on(opened, d_message),
                  device_type=on(opened, device), is_machine_open="false", **email)  # fmt: skip
        machine = c.apple_mail[d] & (rng.random(len(d)) < 0.9)
        parts.add(d[machine], "email_opened", later[delivered][machine] + np.timedelta64(60, "s"),
                  message_id=on(machine, d_message), is_machine_open="true", **email)  # fmt: skip
        clicked = opened & (rng.random(len(d)) < 0.22)
        parts.add(d[clicked], "email_clicked", open_at[clicked] + np.timedelta64(40, "s"),
                  message_id=on(clicked, d_message), device_type=on(clicked, device),
                  url=f"{SITE}/campaign/{campaign}?utm_source=newsletter&utm_medium=email", **email)  # fmt: skip
        unsub = rng.random(len(d)) < 0.0025 * (1 + 3 * (p_open < 0.02))
        parts.add(d[unsub], "email_unsubscribed", open_at[unsub], message_id=on(unsub, d_message), **email)
        spam = rng.random(len(d)) < 0.0004
        parts.add(d[spam], "email_spam_complaint", open_at[spam], message_id=on(spam, d_message), **email)
        c.subscribed[d[unsub | spam]] = False
        c.subscribed[target[hard]] = False


def site_events(rng: np.random.Generator, c: ContactChunk, opts: Options, parts: EventParts) -> None:
    """Sign-up events, then site sessions: browse, search, cart, checkout, purchase, refund, loyalty."""
    n = len(c.ids)
    start, end = opts.start_ts, opts.end_ts
    new = np.flatnonzero(c.created >= start)
    form = new[rng.random(len(new)) < 0.45]
    parts.add(form, "form_submit", c.created[form] + np.timedelta64(5, "s"), url=f"{SITE}/signup")
    subs = new[c.subscribed[new] & (rng.random(len(new)) < 0.6)]
    parts.add(subs, "subscribe", c.created[subs] + np.timedelta64(20, "s"))

    sessions = rng.poisson(c.session_rate * opts.activity * opts.days / 365)
    owner = np.repeat(np.arange(n), sessions)
    s = len(owner)
    lo = np.maximum(c.created[owner], start).astype("int64")
    at = (lo + rng.random(s) * (end.astype("int64") - lo)).astype("datetime64[s]")
    device_code = np.where(rng.random(s) < 0.8, c.device[owner], pick(rng, len(DEVICES), DEVICE_WEIGHTS, s))
    device = vocab(np.concatenate([DEVICES, np.char.capitalize(DEVICES)]), device_code + 4 * (rng.random(s) < 0.1))
    traffic = pick(rng, len(TRAFFIC), np.array([t[3] for t in TRAFFIC]), s)
    utm = {name: vocab([t[i] for t in TRAFFIC], traffic) for i, name in enumerate(("utm_source", "utm_medium",
                                                                                    "utm_campaign"))}  # fmt: skip
    category = pick(rng, len(CATEGORIES), CATEGORY_WEIGHTS, s)
    product_no = rng.integers(1000, 1300, s)
    product = ids("P", product_no, 4)
    landing = rng.choice(4, s, p=[0.4, 0.3, 0.2, 0.1])  # home, category, product, sale
    paths = pc.if_else(pa.array(landing == 1), join("/c/", vocab(CATEGORIES, category)),
                       pc.if_else(pa.array(landing == 2), join("/p/", product),
                                  vocab(["/", "/", "/", "/sale"], landing)))  # fmt: skip
    query = pc.if_else(pa.array(pc.equal(utm["utm_source"], "").to_numpy(zero_copy_only=False)), "",
                       join("?utm_source=", utm["utm_source"], "&utm_medium=", utm["utm_medium"]))  # fmt: skip
    pages = rng.integers(1, 4, s)
    pv = np.repeat(np.arange(s), pages)
    first_page = np.r_[True, pv[1:] != pv[:-1]] if len(pv) else np.array([], bool)
    pv_url = pc.if_else(pa.array(first_page), join(SITE, paths.take(pa.array(pv)), query.take(pa.array(pv))),
                        join(SITE, vocab(["/", "/c/shoes", "/c/apparel", "/about", "/sale"],
                                         rng.integers(0, 5, len(pv)))))  # fmt: skip
    pv_type = vocab(["page_view", "pageview"], (rng.random(len(pv)) < 0.08).astype(int))

    def of(rows: np.ndarray, array: pa.Array) -> pa.Array:
        return array.take(pa.array(rows))

    session_utm = {k: of(pv, v) for k, v in utm.items()}
    parts.add(owner[pv], pv_type, at[pv] + (rng.random(len(pv)) * 120).astype("timedelta64[s]"),
              device_type=of(pv, device), url=pv_url, **session_utm)  # fmt: skip

    searched = np.flatnonzero(rng.random(s) < 0.15)
    term = rng.integers(0, len(SEARCH_TERMS), len(searched))
    parts.add(owner[searched], vocab(["site_search", "search"], (rng.random(len(searched)) < 0.1).astype(int)),
              at[searched] + np.timedelta64(100, "s"), device_type=of(searched, device),
              url=join(f"{SITE}/search?q=", pc.replace_substring(vocab(SEARCH_TERMS, term), " ", "+")),
              search_term=vocab(SEARCH_TERMS, term))  # fmt: skip

    viewed = rng.random(s) < 0.7
    t_view = at + np.timedelta64(150, "s")
    v = np.flatnonzero(viewed)
    parts.add(owner[v], "product_view", t_view[v], product_id=of(v, product), category=vocab(CATEGORIES, category[v]),
              device_type=of(v, device), url=join(f"{SITE}/p/", of(v, product)))  # fmt: skip
    carted = viewed & (rng.random(s) < 0.3 + c.buy_propensity[owner])
    t_cart = t_view + np.timedelta64(90, "s")
    k = np.flatnonzero(carted)
    parts.add(owner[k], "add_to_cart", t_cart[k], product_id=of(k, product), category=vocab(CATEGORIES, category[k]),
              device_type=of(k, device), quantity="1")  # fmt: skip
    checkout = carted & (rng.random(s) < 0.55)
    t_check = t_cart + np.timedelta64(200, "s")
    ch = np.flatnonzero(checkout)
    parts.add(owner[ch], "checkout_started", t_check[ch], device_type=of(ch, device))
    bought = checkout & (rng.random(s) < 0.4 + c.buy_propensity[owner])
    purchases(rng, c, opts, parts, owner, np.flatnonzero(bought), t_check, category, device)
    push = np.flatnonzero(rng.random(s) < 0.05)
    parts.add(owner[push], "web_push_sent", at[push] - np.timedelta64(1, "h"))


def purchases(rng: np.random.Generator, c: ContactChunk, opts: Options, parts: EventParts, owner: np.ndarray,
              orders: np.ndarray, t_check: np.ndarray, category: np.ndarray, device: pa.Array) -> None:  # fmt: skip
    """Order lines, loyalty points earned and redeemed, refunds and advocacy for the sessions that bought."""
    end = opts.end_ts
    o = len(orders)
    order_ids = join("O", pc.cast(pa.array(c.ids[owner[orders]] * 1000 + np.arange(o) % 1000), pa.string()))
    lines = rng.integers(1, 4, o)
    line_order = np.repeat(np.arange(o), lines)
    n_lines = len(line_order)
    qty = rng.choice(np.array([1, 1, 1, 2, 3]), n_lines)
    price_cents = np.round(rng.lognormal(np.log(35), 0.8, n_lines) * 100).astype(np.int64)
    cents = price_cents * qty
    first_line = np.r_[True, line_order[1:] != line_order[:-1]] if n_lines else np.array([], bool)
    line_cat = np.where(first_line, category[orders][line_order], pick(rng, len(CATEGORIES), CATEGORY_WEIGHTS, n_lines))
    currencies = np.array(["EUR", "USD", "GBP", "SEK", "CHF", "PLN", ""])
    home = np.array([list(currencies).index(COUNTRY_INFO[x][2]) for x in COUNTRIES])[c.country[owner[orders]]]
    currency_code = np.where(rng.random(n_lines) < 0.05, len(currencies) - 1, home[line_order])
    currency = vocab(currencies, currency_code)
    t_buy = t_check[orders][line_order] + np.timedelta64(120, "s")
    buy_type = vocab(["purchase", "order_completed"], (rng.random(n_lines) < 0.05).astype(int))
    parts.add(owner[orders][line_order], buy_type, t_buy, order_id=order_ids.take(pa.array(line_order)),
              product_id=ids("P", rng.integers(1000, 1300, n_lines), 4), category=vocab(CATEGORIES, line_cat),
              quantity=pc.cast(pa.array(qty), pa.string()), revenue=amounts(cents), currency=currency,
              device_type=device.take(pa.array(orders[line_order])))  # fmt: skip

    order_cents = np.bincount(line_order, weights=cents, minlength=o).astype(np.int64)
    loyal = np.flatnonzero(rng.random(o) < 0.3)
    earned = order_cents[loyal] // 100
    parts.add(owner[orders[loyal]], "loyalty_points_earned", t_check[orders[loyal]] + np.timedelta64(600, "s"),
              order_id=order_ids.take(pa.array(loyal)), points=pc.cast(pa.array(earned), pa.string()))  # fmt: skip
    # Some of those points are spent weeks later; now and then more than was earned in this order.
    redeem = loyal[rng.random(len(loyal)) < 0.35]
    spent = np.maximum(1, (order_cents[redeem] // 100 * rng.uniform(0.3, 1.3, len(redeem))).astype(np.int64))
    t_redeem = t_check[orders[redeem]] + (rng.uniform(7, 60, len(redeem)) * 86400).astype("timedelta64[s]")
    r = t_redeem < end
    parts.add(owner[orders[redeem]][r], "loyalty_points_redeemed", t_redeem[r],
              points=pc.cast(pa.array(spent[r]), pa.string()))  # fmt: skip

    # Refunds: a few orders come back, fully or in part, within a month.
    refunded = rng.random(o) < 0.05
    full = rng.random(o) < 0.6
    refund_cents = np.where(full, order_cents, np.round(order_cents * rng.uniform(0.2, 0.6, o)).astype(np.int64))
    t_refund = t_check[orders] + (rng.uniform(2, 30, o) * 86400).astype("timedelta64[s]")
    keep = np.flatnonzero(refunded & (t_refund < end))
    first_line_of = np.searchsorted(line_order, keep)
    parts.add(owner[orders[keep]], "refund", t_refund[keep], order_id=order_ids.take(pa.array(keep)),
              revenue=amounts(refund_cents[keep]), currency=currency.take(pa.array(first_line_of)))  # fmt: skip
    # Advocacy after a purchase.
    review = np.flatnonzero((rng.random(o) < 0.08) & (t_check[orders] + np.timedelta64(7, "D") < end))
    parts.add(owner[orders[review]], "review_submitted", t_check[orders[review]] + np.timedelta64(7, "D"),
              order_id=order_ids.take(pa.array(review)))  # fmt: skip
    refer = np.flatnonzero((rng.random(o) < 0.03) & (t_check[orders] + np.timedelta64(3, "D") < end))
    parts.add(owner[orders[refer]], "referral_sent", t_check[orders[refer]] + np.timedelta64(3, "D"))


def make_events(rng: np.random.Generator, c: ContactChunk, opts: Options, event_seq_start: int) -> tuple[pa.Table, int]:
    parts = EventParts()
    email_events(rng, c, opts, parts)
    site_events(rng, c, opts, parts)
    contact, at, columns = parts.build()
    return events_table(rng, contact, at, columns, c, opts, event_seq_start)


def events_table(rng: np.random.Generator, contact: np.ndarray, at: np.ndarray, columns: dict[str, pa.Array],
                 c: ContactChunk, opts: Options, event_seq_start: int) -> tuple[pa.Table, int]:  # fmt: skip
    """Sort the chunk's events by time, give them ids, dirty a few and add re-sent copies."""
    keep = (at < opts.end_ts) & (at >= opts.start_ts - np.timedelta64(1, "D"))
    idx = np.flatnonzero(keep)[np.lexsort((contact[keep], at[keep]))]
    m = len(idx)
    if m == 0:
        c.landed["events"] = np.array([], "datetime64[s]")
        return pa.table({name: pa.array([], pa.string()) for name in EVENT_COLUMNS}), event_seq_start
    rows = pa.array(idx)
    contact, at = contact[idx], at[idx]
    cols = {name: array.take(rows) for name, array in columns.items()}

    # Aliased spellings of canonical types.
    event_type = cols["event_type"]
    for canonical, spellings in ALIASES.items():
        hit = (pc.equal(event_type, canonical).to_numpy(zero_copy_only=False)) & (rng.random(m) < 0.06)
        alias = vocab(spellings, rng.integers(0, len(spellings), m))
        event_type = pc.if_else(pa.array(hit), alias, event_type)

    event_id = ids("E", event_seq_start + np.arange(m), 10)
    contact_id = c.id_text.take(pa.array(contact))
    # Some exports carry the contact's local offset instead of UTC.
    offset_h = np.array([COUNTRY_INFO[x][3] for x in COUNTRIES])[c.country[contact]]
    with_offset = rng.random(m) < 0.15
    suffix = vocab([f"{'-' if h < 0 else '+'}{abs(h):02d}:00" for h in range(-12, 13)], offset_h + 12)
    local = stamps(at + (offset_h * 3600).astype("timedelta64[s]"), "T")
    occurred = pc.if_else(pa.array(with_offset), join(local, suffix), stamps(at))

    # Dirty rows, a few of each kind.
    def few(rate: float) -> pa.Array:
        return pa.array(rng.random(m) < rate)

    event_id = pc.if_else(few(0.001), "", event_id)
    contact_id = pc.if_else(few(0.001), "", contact_id)
    occurred = pc.if_else(few(0.001), "not a timestamp", occurred)
    occurred = pc.if_else(few(0.0005), str(opts.end_date + dt.timedelta(days=400)) + " 12:00:00", occurred)
    event_type = pc.if_else(few(0.001), "app_install", event_type)
    contact_id = pc.if_else(few(0.001), "C9999999", contact_id)
    is_purchase = pc.is_in(event_type, pa.array(["purchase", "Purchase", "order_completed"])).to_numpy(False)
    order_id = pc.if_else(pa.array(is_purchase & (rng.random(m) < 0.01)), pa.nulls(m, pa.string()), cols["order_id"])

    table = blank_nulls(pa.table({
        "event_id": event_id, "contact_id": contact_id, "event_type": event_type, "occurred_at": occurred,
        **{name: (order_id if name == "order_id" else cols[name]) for name in OPTIONAL_EVENT_COLUMNS},
    }))  # fmt: skip
    # In daily batches a few rows land late: offline purchases, replayed webhooks, backfilled CRMs.
    # (Drawn in every layout, so that both layouts hold the same rows.)
    landed = at.copy()
    late = rng.random(m) < 0.02
    landed[late] += (rng.integers(1, MAX_LATE_DAYS + 1, int(late.sum())) * 86400).astype("timedelta64[s]")
    # Duplicate deliveries of the same event; in batches they land up to a week later.
    dups = np.flatnonzero(rng.random(m) < 0.004)
    if len(dups):
        table = pa.concat_tables([table, table.take(pa.array(dups))])
        resent = at[dups] + (rng.integers(0, 8, len(dups)) * 86400).astype("timedelta64[s]")
        landed = np.concatenate([landed, resent])
    c.landed["events"] = landed
    return table, event_seq_start + m


# --- Tags, attributes, suppressions and erasure requests -----------------------------------------


def make_side_tables(rng: np.random.Generator, c: ContactChunk) -> dict[str, pa.Table]:
    n = len(c.ids)
    n_tags = rng.choice(np.array([0, 0, 1, 1, 2, 3]), n)
    tag_owner = np.repeat(np.arange(n), n_tags)
    tag = vocab(TAGS, pick(rng, len(TAGS), TAG_WEIGHTS, len(tag_owner)))
    tag = pc.if_else(pa.array(rng.random(len(tag_owner)) < 0.1), " Eco_Conscious", tag)
    tagged = c.created[tag_owner] + np.timedelta64(1, "D")
    tag_contact = pc.if_else(
        pa.array(rng.random(len(tag_owner)) < 0.005), "C9999998", c.id_text.take(pa.array(tag_owner))
    )
    tags = pa.table({"contact_id": tag_contact, "tag": tag, "tagged_at": stamps(tagged)})

    def attribute(mask: np.ndarray, name: str, values: pa.Array, kind: str) -> pa.Table:
        owners = np.flatnonzero(mask)
        return pa.table({
            "owner": pa.array(owners), "attribute_name": repeat(name, len(owners)),
            "attribute_value": values.filter(pa.array(mask)), "attribute_type": repeat(kind, len(owners)),
        })  # fmt: skip

    sizes = pc.cast(pa.array(rng.integers(36, 47, n)), pa.string())
    sizes = pc.if_else(pa.array(rng.random(n) < 0.02), "abc", sizes)
    interest_sets = np.array(["|".join(sorted(INTERESTS[list(s)])) for s in _subsets(len(INTERESTS), 3)])
    flags = np.array(["true", "false", "yes", "no", "1", "0", "TRUE", "maybe"])
    parts = [
        attribute(rng.random(n) < 0.5, "shoe_size", sizes, "number"),
        attribute(rng.random(n) < 0.4, "favorite_color", vocab(COLORS, rng.integers(0, len(COLORS), n)), "one_of"),
        attribute(rng.random(n) < 0.35, "interests", vocab(interest_sets, rng.integers(0, len(interest_sets), n)),
                  "many_of"),
        attribute(rng.random(n) < 0.3, "is_b2b",
                  vocab(flags, rng.choice(len(flags), n, p=[0.2, 0.3, 0.1, 0.1, 0.1, 0.1, 0.09, 0.01])), "boolean"),
        attribute(rng.random(n) < 0.005, "loyalty_tier", repeat("gold", n), "tier"),
    ]  # fmt: skip
    stacked = pa.concat_tables(parts)
    order = pc.sort_indices(stacked["owner"])
    stacked = stacked.take(order)  # per contact, in the order above (the sort is stable)
    owner = stacked["owner"].to_numpy()
    attrs = pa.table({
        "contact_id": c.id_text.take(pa.array(owner)), "attribute_name": stacked["attribute_name"],
        "attribute_value": stacked["attribute_value"], "attribute_type": stacked["attribute_type"],
        "updated_at": stamps(c.created[owner] + np.timedelta64(2, "D")),
    })  # fmt: skip

    has_email = pc.not_equal(c.email, "").to_numpy(zero_copy_only=False)
    sup = np.flatnonzero((rng.random(n) < 0.015) & has_email)
    sup_email = c.email.take(pa.array(sup))
    sup_email = pc.if_else(pa.array(rng.random(len(sup)) < 0.3), pc.utf8_upper(sup_email), sup_email)
    suppressions = pa.table({
        "email": sup_email,
        "reason": vocab(["unsubscribed", "hard_bounce", "complaint", "manual"], rng.integers(0, 4, len(sup))),
        "suppressed_at": stamps(c.created[sup] + np.timedelta64(20, "D")),
    })  # fmt: skip

    erase = np.flatnonzero(rng.random(n) < 0.003)
    by = rng.random(len(erase))
    erasures = pa.table({
        "contact_id": pc.if_else(pa.array(by < 0.7), c.id_text.take(pa.array(erase)), ""),
        "email": pc.if_else(pa.array(by >= 0.4), pc.utf8_upper(c.email.take(pa.array(erase))), ""),
        "requested_at": stamps(c.created[erase] + np.timedelta64(40, "D")),
    })  # fmt: skip
    c.landed.update({
        "contact_tags": tagged, "contact_attributes": c.created[owner] + np.timedelta64(2, "D"),
        "suppressions": c.created[sup] + np.timedelta64(20, "D"), "erasure_requests": c.created[erase]
        + np.timedelta64(40, "D"),
    })  # fmt: skip
    return {
        "contact_tags": tags,
        "contact_attributes": attrs,
        "suppressions": suppressions,
        "erasure_requests": erasures,
    }


def _subsets(size: int, largest: int) -> list[tuple[int, ...]]:
    """Every non-empty subset of range(size) with at most `largest` members, in a fixed order."""
    from itertools import combinations

    return [s for k in range(1, largest + 1) for s in combinations(range(size), k)]


def fx_table() -> pa.Table:
    return pa.table({"currency": text(list(FX_RATES)), "rate_to_reporting": text(list(FX_RATES.values()))})


def exclusions_table(opts: Options) -> pa.Table:
    """A fixed global exclusion list: a staff domain, a legal hold for good and one that has ended."""
    start = opts.start_ts
    return pa.table({
        "pattern": text(["@ourshop.example", "C0000002", "C0000005"]),
        "reason": text(["staff", "legal_hold", "test_account"]),
        "excluded_at": stamps(np.array([start, start, start])),
        "until": text(["", "", str((start + np.timedelta64(10, "D")).astype("datetime64[D]"))]),
    })  # fmt: skip


# --- Writing -------------------------------------------------------------------------------------


def landing_days(landed: np.ndarray, opts: Options) -> np.ndarray:
    """The batch day of each row: the day it landed, within the data window."""
    first = opts.start_ts.astype("datetime64[D]")
    return np.clip(landed.astype("datetime64[D]"), first, np.datetime64(opts.end_date, "D"))


class DailyBatches:
    """Rows of one table spread over one file per landing day: <out>/<table>/<YYYY-MM-DD>.<ext>.

    Chunks arrive in generation order; each day's rows are kept in that order in an
    Arrow IPC file (cheap to append to in small pieces) and written out at the end.
    """

    def __init__(self, out: Path, table: str, fmt: str, scratch: Path) -> None:
        self.folder = out / table
        self.fmt = fmt
        self.scratch = scratch / table
        self.scratch.mkdir(parents=True)
        self.rows = 0
        self._writers: dict[str, Any] = {}

    def write(self, table: pa.Table, landed_on: np.ndarray) -> None:
        order = np.argsort(landed_on, kind="stable")
        day_of_row = landed_on[order]
        table = table.take(pa.array(order))
        bounds = np.flatnonzero(np.r_[True, day_of_row[1:] != day_of_row[:-1], True])
        for start, stop in itertools.pairwise(bounds):
            day = str(day_of_row[start])
            if day not in self._writers:
                self._writers[day] = pa.ipc.new_stream(str(self.scratch / f"{day}.arrows"), table.schema)
            self._writers[day].write_table(table.slice(start, stop - start))
        self.rows += table.num_rows

    def close(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for day, writer in sorted(self._writers.items()):
            writer.close()
            with pa.ipc.open_stream(str(self.scratch / f"{day}.arrows")) as reader:
                rows = reader.read_all()
            single = TableWriter(self.folder / f"{day}.{'csv' if self.fmt == 'csv' else 'parquet'}", self.fmt)
            single.write(rows)
            single.close()


def generate(opts: Options, progress: bool = True) -> dict[str, int]:
    """Write every landing table into ``opts.out``; return rows written per table."""
    opts.out.mkdir(parents=True, exist_ok=True)
    suffix = "csv" if opts.fmt == "csv" else "parquet"
    for table in TABLES:
        for stale in (opts.out / f"{table}.csv", opts.out / f"{table}.parquet", opts.out / table):
            if stale.is_dir():
                shutil.rmtree(stale)  # one layout and format per folder, so the loader's choice is never ambiguous
            elif stale.exists():
                stale.unlink()
    daily = opts.batches == "daily"
    scratch = Path(tempfile.mkdtemp(prefix=".generate-", dir=opts.out))
    writers: dict[str, Any] = {
        t: DailyBatches(opts.out, t, opts.fmt, scratch) if daily else TableWriter(opts.out / f"{t}.{suffix}", opts.fmt)
        for t in TABLES
    }
    children = np.random.SeedSequence(opts.seed).spawn((opts.contacts + CHUNK_CONTACTS - 1) // CHUNK_CONTACTS)
    event_seq = 1
    started = time.monotonic()
    try:
        for chunk_no, child in enumerate(children):
            rng = np.random.default_rng(child)
            first = chunk_no * CHUNK_CONTACTS + 1
            size = min(CHUNK_CONTACTS, opts.contacts - chunk_no * CHUNK_CONTACTS)
            state, contacts = make_contacts(rng, first, size, opts)
            events, event_seq = make_events(rng, state, opts, event_seq)
            tables = {"contacts": contacts, "events": events, **make_side_tables(rng, state)}
            for name, table in tables.items():
                if daily:
                    writers[name].write(table, landing_days(state.landed[name], opts))
                else:
                    writers[name].write(table)
            if progress:
                done = min(opts.contacts, (chunk_no + 1) * CHUNK_CONTACTS)
                print(f"\r{done:,}/{opts.contacts:,} contacts, {writers['events'].rows:,} events, "
                      f"{time.monotonic() - started:.1f}s", end="", file=sys.stderr, flush=True)  # fmt: skip
        for name, reference in (("fx_rates", fx_table()), ("exclusions", exclusions_table(opts))):
            if daily:
                writers[name].write(reference, landing_days(np.array([opts.start_ts] * reference.num_rows), opts))
            else:
                writers[name].write(reference)
    finally:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(scratch)
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
        "--batches",
        choices=["none", "daily"],
        default="none",
        help="none: one file per table; daily: a folder per table with one file per landing day (default: none)",
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
    opts = Options(args.seed, args.contacts, args.days, end_date, args.fmt, args.out, args.activity, args.batches)
    return opts, args.quiet


def main(argv: list[str] | None = None) -> int:
    opts, quiet = parse_args(argv)
    started = time.monotonic()
    counts = generate(opts, progress=not quiet)
    if not quiet:
        summary = ", ".join(f"{t}={n:,}" for t, n in counts.items())
        layout = " in daily batches" if opts.batches == "daily" else ""
        print(f"wrote {opts.fmt}{layout} to {opts.out} in {time.monotonic() - started:.1f}s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
