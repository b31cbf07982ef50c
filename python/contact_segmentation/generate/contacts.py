"""The contacts table, and the per-contact state that the events are drawn from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import days, ids, join, pick, repeat, stamps, vocab
from .vocabularies import (
    CITIES,
    COUNTRIES,
    COUNTRY_INFO,
    COUNTRY_WEIGHTS,
    DEVICE_WEIGHTS,
    DEVICES,
    DOMAIN_WEIGHTS,
    DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    ODD_TIMEZONES,
    SOURCE_SPELLINGS,
    SOURCE_WEIGHTS,
    SOURCES,
    Options,
)

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
