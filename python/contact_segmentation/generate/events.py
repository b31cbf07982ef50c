"""The events of a chunk of contacts: email, site visits, purchases, loyalty, with the dirt of real exports."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import amounts, blank_nulls, ids, join, pick, repeat, stamps, vocab
from .contacts import ContactChunk
from .vocabularies import (
    ALIASES,
    CATEGORIES,
    CATEGORY_WEIGHTS,
    COUNTRIES,
    COUNTRY_INFO,
    DEVICE_WEIGHTS,
    DEVICES,
    EVENT_COLUMNS,
    MAX_LATE_DAYS,
    OPTIONAL_EVENT_COLUMNS,
    SEARCH_TERMS,
    SITE,
    TRAFFIC,
    Options,
)

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
