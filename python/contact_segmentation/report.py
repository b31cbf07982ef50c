"""Write a self-contained HTML dashboard of the segment marts.

One file, no network: the figures are read from the warehouse and embedded as JSON,
and a small inline script draws them as SVG charts:

  * segment sizes now (contact_segments) and over time (segment_daily_sizes);
  * contacts entered and exited since the previous recorded day (from the second one), for the
    segment picked in the page;
  * the RFM R x F grid as a heat map (customers per cell);
  * funnel stages and email engagement status (contact_features);
  * the share of contacts that can be emailed;
  * the channel mix (contacts by top traffic channel) and loyalty balances (contacts per bin);
  * lift: conversion per group of each segment with a holdout or splits, with its 95 % interval
    (segment_lift), and the global control group's lift per month (global_lift);
  * the picked segment's funnel: contacts left after each condition of its rule (segment_funnels).

Every mark carries data-label / data-value attributes, so what the page shows can be
checked against the mart (tests/python/test_report.py does, in headless Chromium).

Examples:
    segments report                          # the published warehouse -> target/report.html
    segments report --db other.duckdb --out /tmp/segments.html
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from .warehouse import DEFAULT_DB, PROJECT_DIR, WarehouseError, open_warehouse, segment_columns, write_atomically

FUNNEL_ORDER = ["awareness", "consideration", "conversion", "loyalty", "advocacy"]
ENGAGEMENT_ORDER = ["engaged", "lapsing", "dormant", "never_engaged", "no_email_history"]
REQUIRED = ("contact_segments", "contact_features", "segment_daily_sizes", "segment_overlaps")


def counts(con: duckdb.DuckDBPyConnection, column: str, order: list[str]) -> list[dict[str, Any]]:
    found = dict(con.execute(f"select {column}, count(*) from contact_features group by 1").fetchall())
    labels = [o for o in order if o in found] + sorted(k for k in found if k not in order and k is not None)
    return [{"label": label, "value": found[label]} for label in labels]


def binned(con: duckdb.DuckDBPyConnection, column: str, edges: list[Any], labels: list[str]) -> list[dict[str, Any]]:
    """Contacts per bin of a contact_features column: a value's bin is the number of `edges` at or
    below it (labels: one more than edges); nulls left out; empty when every value is null."""
    index = " + ".join(f"({column} >= {edge})::int" for edge in edges)
    found = dict(con.execute(
        f"select {index}, count(*) from contact_features where {column} is not null group by 1"
    ).fetchall())  # fmt: skip
    return [{"label": label, "value": found.get(i, 0)} for i, label in enumerate(labels)] if found else []


# Predicted 12-month value bins, in the reporting currency (docs/predictions.md); a
# negative value goes to the first.
CLV_BINS = [0, 10, 50, 100, 250, 500, 1000]
# Loyalty balance bins (docs/loyalty.md): below zero, zero, then from each start up to the next.
LOYALTY_BINS = [0, 1, 100, 500, 1000, 5000]
CHANNEL_ORDER = ["direct", "organic_search", "paid_search", "organic_social", "paid_social", "email", "referral",
                 "affiliate", "display", "paid_other", "unassigned"]  # fmt: skip


def distributions(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Buyers per tenth of p_alive and per predicted-CLV bin (empty where nothing was predicted), and
    loyalty members per balance bin (empty without loyalty events)."""
    tenths = [i / 10 for i in range(11)]
    return {
        "p_alive": binned(con, "p_alive", tenths[1:-1], [f"{low:.1f}-{high:.1f}" for low, high in
                                                          itertools.pairwise(tenths)]),
        "predicted_clv": binned(con, "predicted_clv_12m", CLV_BINS[1:], [
            *(f"{low:,}-{high:,}" for low, high in itertools.pairwise(CLV_BINS)), f"{CLV_BINS[-1]:,}+"]),
        "loyalty": binned(con, "loyalty_points_balance", LOYALTY_BINS, [
            "below 0", "0", *(f"{low:,}-{high - 1:,}" for low, high in itertools.pairwise(LOYALTY_BINS[1:])),
            f"{LOYALTY_BINS[-1]:,}+"]),
    }  # fmt: skip


def collect(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the page shows, straight from the marts."""
    columns = segment_columns(con)
    found = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    sizes_sql = ", ".join(f"count(*) filter (where {c})" for c in columns)
    sizes = con.execute(f"select {sizes_sql} from contact_segments").fetchone() or ()
    as_of = con.execute("select max(as_of_date) from contact_segments").fetchone()
    history = con.execute(
        "select cast(as_of_date as varchar), segment, members, entered, exited from segment_daily_sizes "
        "order by as_of_date, segment"
    ).fetchall()
    grid = con.execute(
        "select r_score, f_score, count(*) from contact_features where r_score is not null group by 1, 2"
    ).fetchall()
    sendable = con.execute(
        "select count(*) filter (where is_email_sendable), count(*), count(*) filter (where is_excluded) "
        "from contact_features"
    ).fetchone() or (0, 0, 0)
    overlaps = con.execute(
        "select segment_a, segment_b, members_both, coalesce(jaccard, 0) from segment_overlaps"
    ).fetchall()
    return {
        "audit": last_audit(con),
        "as_of_date": str(as_of[0]) if as_of and as_of[0] else None,
        "contacts": sendable[1],
        "segment_sizes": [{"label": c[4:], "value": v} for c, v in zip(columns, sizes, strict=True)],
        "history": [{"date": d, "segment": s, "members": m, "entered": e, "exited": x} for d, s, m, e, x in history],
        "rfm_grid": [{"r": r, "f": f, "value": n} for r, f, n in grid],
        "funnel": counts(con, "funnel_stage", FUNNEL_ORDER),
        "engagement": counts(con, "email_engagement_status", ENGAGEMENT_ORDER),
        "sendable": {"sendable": sendable[0], "total": sendable[1], "excluded": sendable[2]},
        "overlaps": [{"a": a, "b": b, "both": n, "jaccard": j} for a, b, n, j in overlaps],
        "channels": counts(con, "top_channel_90d", CHANNEL_ORDER),
        **distributions(con),
        **lift(con, found),
        "funnels": funnels(con, found),
    }


def funnels(con: duckdb.DuckDBPyConnection, found: set[str]) -> list[dict[str, Any]]:
    """Each segment's contacts after each step of its rule (segment_funnels); empty before that mart.
    `found`: the warehouse's tables."""
    if "segment_funnels" not in found:
        return []
    rows = con.execute("select segment_name, step_number, condition_path, condition_text, contacts_after "
                       "from segment_funnels order by segment_name, step_number").fetchall()  # fmt: skip
    return [{"segment": s, "label": f"{n}. {path}", "text": text, "value": after} for s, n, path, text, after in rows]


def lift(con: duckdb.DuckDBPyConnection, found: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Conversion per group of each measured segment (the reference group first, each with its Wilson
    interval and, for a compared group, the lift), and the global control's monthly lift
    (docs/segments.md "Lift"); empty for a warehouse built before the lift marts. `found`: its tables."""
    if not {"segment_lift", "global_lift"} <= found:
        return {"lift": [], "global_lift": []}
    rows = con.execute(
        "select segment, group_name, reference_group, goal, members, conversion_rate, conversion_rate_lower, "
        "conversion_rate_upper, reference_members, reference_conversion_rate, reference_conversion_rate_lower, "
        "reference_conversion_rate_upper, absolute_lift, absolute_lift_lower, absolute_lift_upper, p_value, "
        "is_significant from segment_lift order by segment, group_name"
    ).fetchall()
    groups: list[dict[str, Any]] = []
    references: set[tuple[str, str]] = set()  # each segment's reference group is shown once
    for segment, group, reference, goal, n, rate, low, high, ref_n, ref_rate, ref_low, ref_high, *test in rows:
        if (segment, reference) not in references:
            references.add((segment, reference))
            groups.append({"segment": segment, "group": reference, "goal": goal, "members": ref_n,
                           "rate": number(ref_rate), "low": number(ref_low), "high": number(ref_high)})  # fmt: skip
        lift_, lift_low, lift_high, p_value, significant = test
        groups.append({"segment": segment, "group": group, "goal": goal, "members": n, "rate": number(rate),
                       "low": number(low), "high": number(high), "lift": number(lift_),
                       "lift_low": number(lift_low), "lift_high": number(lift_high),
                       "p_value": number(p_value), "significant": significant})  # fmt: skip
    months = con.execute(
        "select cast(month_start_date as varchar), is_open, members, control_members, absolute_lift, "
        "absolute_lift_lower, absolute_lift_upper, p_value, is_significant from global_lift order by 1"
    ).fetchall()
    return {
        "lift": groups,
        "global_lift": [{"month": m, "open": o, "members": n, "control_members": c, "lift": number(v),
                         "low": number(lo), "high": number(hi), "p_value": number(p), "significant": sig}
                        for m, o, n, c, v, lo, hi, p, sig in months],
    }  # fmt: skip


def number(value: Any) -> float | None:
    """A decimal of the marts as a JSON number (None stays null)."""
    return None if value is None else float(value)


def last_audit(con: duckdb.DuckDBPyConnection) -> str:
    """The publish audit of the file shown, as one line (a build's own warehouse has none)."""
    has = con.execute("select count(*) from information_schema.columns where table_name = 'publication' "
                      "and column_name = 'verdict'").fetchone()  # fmt: skip
    if not has or not has[0]:
        return "not published: no publish audit"
    row = con.execute("select verdict, overridden_by, findings, published_at from publication").fetchone()
    if row is None:
        return "no publish audit"
    verdict, by, findings, at = row
    line = f"publish audit: {verdict}" + (f" by {by}" if by else "") + f", {at:%Y-%m-%d %H:%M} UTC"
    return line + (f" \u00b7 {findings}" if findings else " \u00b7 nothing found")


def render(data: dict[str, Any]) -> str:
    # "</" cannot appear inside the JSON script element, or the browser would end it early.
    payload = json.dumps(data).replace("</", "<\\/")
    return (
        resources.files(__package__)
        .joinpath("templates/report.html")
        .read_text(encoding="utf-8")
        .replace("__AS_OF__", html.escape(data["as_of_date"] or "unknown"))
        .replace("__CONTACTS__", f"{data['contacts']:,}")
        .replace("__AUDIT__", html.escape(data["audit"]))
        .replace("__DATA__", payload)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments report", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="published warehouse (default: %(default)s)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "target" / "report.html", help="HTML file to write")
    args = parser.parse_args(argv)
    try:
        con = open_warehouse(args.db, REQUIRED)
        try:
            page = render(collect(con))
        finally:
            con.close()
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WarehouseError(f"cannot write {args.out}: {error.strerror or error}") from None
        write_atomically(args.out, lambda target: target.write_text(page))
    except WarehouseError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
