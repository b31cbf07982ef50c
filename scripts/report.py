#!/usr/bin/env python3
"""Write a self-contained HTML dashboard of the segment marts.

One file, no network: the figures are read from the warehouse and embedded as JSON,
and a small inline script draws them as SVG charts:

  * segment sizes now (contact_segments) and over time (segment_daily_sizes);
  * contacts entered and exited since the previous recorded day (from the second one), for the
    segment picked in the page;
  * the RFM R x F grid as a heat map (customers per cell);
  * funnel stages and email engagement status (contact_features);
  * the share of contacts that can be emailed;
  * the channel mix (contacts by top traffic channel) and loyalty balances (contacts per bin).

Every mark carries data-label / data-value attributes, so what the page shows can be
checked against the mart (tests/python/test_report.py does, in headless Chromium).

Examples:
    python scripts/report.py                          # the published warehouse -> target/report.html
    python scripts/report.py --db other.duckdb --out /tmp/segments.html
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import duckdb
from warehouse import DEFAULT_DB, WarehouseError, open_warehouse, segment_columns, write_atomically

PROJECT_DIR = Path(__file__).resolve().parents[1]
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
    }


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Segments as of __AS_OF__</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .sub { color: #666; margin-bottom: 20px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px; }
  figure { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 0; padding: 12px 14px; }
  figcaption { font-weight: 600; margin-bottom: 8px; }
  svg text { font-size: 11px; fill: #333; }
  .note { color: #666; font-size: 13px; }
  select { margin-left: 8px; }
  #chart-overlaps { grid-column: 1 / -1; overflow-x: auto; }
</style>
</head>
<body>
<h1>Contact segments</h1>
<div class="sub">as of __AS_OF__ &middot; __CONTACTS__ contacts</div>
<div class="grid">
  <figure class="chart" id="chart-sizes"><figcaption>Segment sizes now</figcaption></figure>
  <figure class="chart" id="chart-sendable"><figcaption>Sendable contacts</figcaption></figure>
  <figure class="chart" id="chart-history"><figcaption>Members over time
    <select id="segment-picker" aria-label="segment"></select></figcaption></figure>
  <figure class="chart" id="chart-changes">
    <figcaption>Entered and exited since the previous recorded day</figcaption></figure>
  <figure class="chart" id="chart-rfm">
    <figcaption>RFM: customers by recency (R) and frequency (F) score</figcaption></figure>
  <figure class="chart" id="chart-funnel"><figcaption>Funnel stages</figcaption></figure>
  <figure class="chart" id="chart-engagement"><figcaption>Email engagement status</figcaption></figure>
  <figure class="chart" id="chart-p-alive">
    <figcaption>Buyers by p_alive (probability still active)</figcaption></figure>
  <figure class="chart" id="chart-clv"><figcaption>Buyers by predicted 12-month value</figcaption></figure>
  <figure class="chart" id="chart-channels">
    <figcaption>Channel mix: contacts by their top traffic channel (90 days)</figcaption></figure>
  <figure class="chart" id="chart-loyalty"><figcaption>Loyalty members by points balance</figcaption></figure>
  <figure class="chart" id="chart-overlaps">
    <figcaption>Audience overlaps (Jaccard index; hover for members in both)</figcaption></figure>
</div>
<script id="report-data" type="application/json">__DATA__</script>
<script>
"use strict";
const DATA = JSON.parse(document.getElementById("report-data").textContent);
const NS = "http://www.w3.org/2000/svg";
const fmt = (n) => n.toLocaleString("en-US");

function el(name, attrs, parent, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function svgIn(figureId, width, height) {
  const figure = document.getElementById(figureId);
  const old = figure.querySelector("svg, p.note");
  if (old) old.remove();
  return el("svg", {width, height, viewBox: `0 0 ${width} ${height}`, role: "img"}, figure);
}

function note(figureId, text) {
  const figure = document.getElementById(figureId);
  const old = figure.querySelector("svg, p.note");
  if (old) old.remove();
  const p = document.createElement("p");
  p.className = "note";
  p.textContent = text;
  figure.appendChild(p);
}

function hbars(figureId, rows, color) {
  const labelWidth = 170, width = 520, row = 18, max = Math.max(1, ...rows.map((r) => r.value));
  const svg = svgIn(figureId, width, rows.length * row + 10);
  rows.forEach((r, i) => {
    const y = i * row + 4, w = (width - labelWidth - 60) * r.value / max;
    el("text", {x: labelWidth - 6, y: y + 12, "text-anchor": "end"}, svg, r.label);
    el("rect", {x: labelWidth, y, width: Math.max(w, 1), height: row - 4, fill: color, class: "mark",
                "data-label": r.label, "data-value": r.value}, svg);
    el("text", {x: labelWidth + w + 4, y: y + 12, class: "value"}, svg, fmt(r.value));
  });
}

function sendable() {
  const s = DATA.sendable, share = s.total ? s.sendable / s.total : 0;
  const svg = svgIn("chart-sendable", 520, 70);
  el("rect", {x: 10, y: 10, width: 500, height: 26, fill: "#ddd"}, svg);
  el("rect", {x: 10, y: 10, width: 500 * share, height: 26, fill: "#2a9d8f", class: "mark",
              "data-label": "sendable", "data-value": s.sendable}, svg);
  el("rect", {x: 10 + 500 * share, y: 10, width: 500 * (1 - share), height: 26, fill: "none", class: "mark",
              "data-label": "not_sendable", "data-value": s.total - s.sendable}, svg);
  el("text", {x: 10, y: 55, class: "value"}, svg,
     `${fmt(s.sendable)} of ${fmt(s.total)} contacts can be emailed (${(100 * share).toFixed(1)} %); ` +
     `${fmt(s.excluded)} on the exclusion list`);
}

function historyFor(segment) {
  return DATA.history.filter((h) => h.segment === segment);
}

function lineChart(segment) {
  const rows = historyFor(segment);
  if (rows.length === 0) return note("chart-history", "No history recorded yet: run scripts/backfill.py.");
  const width = 520, height = 220, left = 50, bottom = 30, max = Math.max(1, ...rows.map((r) => r.members));
  const svg = svgIn("chart-history", width, height);
  const x = (i) => left + (rows.length === 1 ? 0 : i * (width - left - 20) / (rows.length - 1));
  const y = (v) => height - bottom - v * (height - bottom - 10) / max;
  el("line", {x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom, stroke: "#999"}, svg);
  el("text", {x: left - 6, y: y(max) + 4, "text-anchor": "end"}, svg, fmt(max));
  el("text", {x: left - 6, y: height - bottom + 4, "text-anchor": "end"}, svg, "0");
  el("polyline", {points: rows.map((r, i) => `${x(i)},${y(r.members)}`).join(" "), fill: "none",
                  stroke: "#264653", "stroke-width": 2}, svg);
  rows.forEach((r, i) => {
    const dot = el("circle", {cx: x(i), cy: y(r.members), r: 3, fill: "#264653", class: "mark",
                              "data-label": r.date, "data-value": r.members}, svg);
    el("title", {}, dot, `${r.date}: ${fmt(r.members)} members`);
  });
  el("text", {x: left, y: height - 8}, svg, rows[0].date);
  el("text", {x: width - 10, y: height - 8, "text-anchor": "end"}, svg, rows[rows.length - 1].date);
}

function changesChart(segment) {
  // On the first recorded day every member "entered": that bar says where history starts,
  // not a change, and would flatten every other bar, so the chart starts one day later.
  const rows = historyFor(segment).slice(1);
  if (rows.length === 0) return note("chart-changes", "Changes show from the second recorded day.");
  const width = 520, height = 220, left = 50, mid = 110;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.entered, r.exited)));
  const svg = svgIn("chart-changes", width, height);
  const step = (width - left - 10) / rows.length, bar = Math.min(40, Math.max(1, step * 0.7)), scale = 90 / max;
  el("line", {x1: left, y1: mid, x2: width - 10, y2: mid, stroke: "#999"}, svg);
  el("text", {x: left - 6, y: 20, "text-anchor": "end"}, svg, `+${fmt(max)}`);
  el("text", {x: left - 6, y: 205, "text-anchor": "end"}, svg, `-${fmt(max)}`);
  rows.forEach((r, i) => {
    const x = left + i * step;
    const up = el("rect", {x, y: mid - r.entered * scale, width: bar, height: r.entered * scale, fill: "#2a9d8f",
                           class: "mark entered", "data-label": r.date, "data-value": r.entered}, svg);
    el("title", {}, up, `${r.date}: ${fmt(r.entered)} entered`);
    const down = el("rect", {x, y: mid, width: bar, height: r.exited * scale, fill: "#e76f51",
                             class: "mark exited", "data-label": r.date, "data-value": r.exited}, svg);
    el("title", {}, down, `${r.date}: ${fmt(r.exited)} exited`);
  });
}

function heatmap() {
  if (DATA.rfm_grid.length === 0) return note("chart-rfm", "No customers yet.");
  const cell = 56, left = 40, top = 10, svg = svgIn("chart-rfm", 520, 5 * cell + 50);
  const max = Math.max(1, ...DATA.rfm_grid.map((c) => c.value));
  const value = (r, f) => (DATA.rfm_grid.find((c) => c.r === r && c.f === f) || {value: 0}).value;
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const v = value(r, f), x = left + (f - 1) * cell, y = top + (5 - r) * cell;
      const shade = Math.round(245 - 180 * v / max);
      el("rect", {x, y, width: cell - 2, height: cell - 2, fill: `rgb(${shade},${shade + 5},255)`, class: "mark",
                  "data-label": `R${r}F${f}`, "data-value": v}, svg);
      el("text", {x: x + cell / 2 - 1, y: y + cell / 2 + 4, "text-anchor": "middle"}, svg, fmt(v));
    }
    el("text", {x: left - 8, y: top + (5 - r) * cell + cell / 2 + 4, "text-anchor": "end"}, svg, `R${r}`);
  }
  for (let f = 1; f <= 5; f++) {
    el("text", {x: left + (f - 1) * cell + cell / 2, y: top + 5 * cell + 16, "text-anchor": "middle"}, svg, `F${f}`);
  }
}

function overlaps() {
  const names = DATA.segment_sizes.map((s) => s.label);
  if (names.length === 0) return note("chart-overlaps", "No segments.");
  // Room on the right for the last column labels, which lean right.
  const cell = 14, left = 170, top = 150, svg = svgIn("chart-overlaps", left + names.length * cell + 110,
                                                      top + names.length * cell + 10);
  const byPair = new Map(DATA.overlaps.map((o) => [`${o.a}|${o.b}`, o]));
  names.forEach((a, i) => {
    el("text", {x: left - 6, y: top + i * cell + cell - 3, "text-anchor": "end"}, svg, a);
    const x = left + i * cell + cell - 3;
    el("text", {x, y: top - 6, transform: `rotate(-60 ${x} ${top - 6})`}, svg, a);
    names.forEach((b, j) => {
      const o = byPair.get(`${a}|${b}`) || {both: 0, jaccard: 0};
      const shade = Math.round(245 - 200 * o.jaccard);
      const rect = el("rect", {x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1,
                               fill: `rgb(${shade},${shade},255)`, class: "mark", "data-label": `${a}|${b}`,
                               "data-value": o.both}, svg);
      el("title", {}, rect, `${a} & ${b}: ${fmt(o.both)} in both (Jaccard ${o.jaccard.toFixed(2)})`);
    });
  });
}

function draw(segment) {
  lineChart(segment);
  changesChart(segment);
}

hbars("chart-sizes", DATA.segment_sizes, "#264653");
sendable();
heatmap();
hbars("chart-funnel", DATA.funnel, "#e9c46a");
hbars("chart-engagement", DATA.engagement, "#f4a261");
const NO_PREDICTIONS = "No predictions: too few buyers, or not DuckDB (docs/predictions.md).";
for (const [chart, rows, color] of [["chart-p-alive", DATA.p_alive, "#8ab17d"],
                                   ["chart-clv", DATA.predicted_clv, "#287271"]]) {
  if (rows.length) hbars(chart, rows, color); else note(chart, NO_PREDICTIONS);
}
if (DATA.channels.length) hbars("chart-channels", DATA.channels, "#6d597a");
else note("chart-channels", "No page views in the last 90 days.");
if (DATA.loyalty.length) hbars("chart-loyalty", DATA.loyalty, "#b56576");
else note("chart-loyalty", "No loyalty events (docs/loyalty.md).");
overlaps();
const picker = document.getElementById("segment-picker");
const largest = [...DATA.segment_sizes].sort((a, b) => b.value - a.value)[0];
for (const s of DATA.segment_sizes) {
  const option = document.createElement("option");
  option.value = option.textContent = s.label;
  picker.appendChild(option);
}
if (largest) picker.value = largest.label;
picker.addEventListener("change", () => draw(picker.value));
draw(picker.value);
document.body.dataset.rendered = "true";
</script>
</body>
</html>
"""


def render(data: dict[str, Any]) -> str:
    # "</" cannot appear inside the JSON script element, or the browser would end it early.
    payload = json.dumps(data).replace("</", "<\\/")
    return (
        PAGE.replace("__AS_OF__", html.escape(data["as_of_date"] or "unknown"))
        .replace("__CONTACTS__", f"{data['contacts']:,}")
        .replace("__DATA__", payload)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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
