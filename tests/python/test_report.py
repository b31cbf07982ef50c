"""`segments report`: the dashboard loads in headless Chromium, draws every chart, shows the mart's numbers."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium tries to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/install_chromium.sh)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def warehouse(demo_copy: Path) -> Path:
    """The demo warehouse with three days of segment history."""
    with duckdb.connect(str(demo_copy)) as con:
        for day, shift in (("2026-10-29", 7), ("2026-10-30", 3)):
            con.execute(f"""
                insert into segment_daily_sizes
                select '{day}|' || segment, date '{day}', segment, members - {shift}, {shift} + 1, 1, 0
                from segment_daily_sizes where as_of_date = date '2026-10-31'
            """)
        # A build of one day has only open cohorts: give lapsing a closed result and the control group
        # two months, as a month of daily runs with global_control_pct would.
        con.execute("""
            update segment_lift set members = 200, converters = 30, conversion_rate = 0.15,
                conversion_rate_lower = 0.107136, conversion_rate_upper = 0.206056, reference_members = 50,
                reference_converters = 3, reference_conversion_rate = 0.06, reference_conversion_rate_lower = 0.020615,
                reference_conversion_rate_upper = 0.162171, absolute_lift = 0.09, absolute_lift_lower = -0.020798,
                absolute_lift_upper = 0.158509, p_value = 0.092644
            where segment = 'lapsing'
        """)
        con.execute("""
            insert into global_lift (month_start_date, is_open, members, converters, control_members,
                control_converters, absolute_lift, absolute_lift_lower, absolute_lift_upper, p_value, is_significant)
            values (date '2026-09-01', false, 900, 90, 100, 5, 0.05, 0.000512, 0.081234, 0.047, true),
                   (date '2026-10-01', true, 950, 80, 100, 8, 0.004211, -0.04, 0.03, 0.88, false)
        """)
    return demo_copy


def report(db: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SEGMENTS, "report", "--db", str(db), "--out", str(out)],
                          cwd=PROJECT_DIR, capture_output=True, text=True)  # fmt: skip


def marks(page: Any, chart: str, selector: str = ".mark") -> dict[str, int]:
    found = page.eval_on_selector_all(
        f"#{chart} svg {selector}", "nodes => nodes.map(n => [n.dataset.label, Number(n.dataset.value)])"
    )
    return dict(found)


def test_dashboard_renders_the_marts_numbers(browser: Browser, warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = report(warehouse, out)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "<script src" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")

    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith("file:") else None)
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-rendered=true]")
    assert problems == []
    charts = ("sizes", "sendable", "history", "changes", "rfm", "funnel", "engagement", "overlaps", "p-alive", "clv",
              "channels", "loyalty", "lift", "global-lift", "segment-funnel")  # fmt: skip
    for chart in charts:
        assert page.locator(f"#chart-{chart} svg .mark").count() > 0, f"chart {chart} drew nothing"

    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [r[0] for r in con.execute("select column_name from information_schema.columns where table_name = "
                                             "'contact_segments' and column_name like 'seg_%' and data_type = "
                                             "'BOOLEAN' and column_name not like '%_holdout'").fetchall()]  # fmt: skip
        sizes = {c[4:]: con.execute(f"select count(*) from contact_segments where {c}").fetchone()[0]  # type: ignore[index]
                 for c in columns}  # fmt: skip
        grid = {f"R{r}F{f}": n for r, f, n in con.execute(
            "select r_score, f_score, count(*) from contact_features where r_score is not null group by 1, 2")
            .fetchall()}  # fmt: skip
        funnel = dict(con.execute("select funnel_stage, count(*) from contact_features group by 1").fetchall())
        engagement = dict(con.execute("select email_engagement_status, count(*) from contact_features group by 1")
                          .fetchall())  # fmt: skip
        sendable, total, excluded = con.execute(
            "select count(*) filter (where is_email_sendable), count(*), count(*) filter (where is_excluded) "
            "from contact_features").fetchone()  # type: ignore[misc]  # fmt: skip
        largest = max(sizes, key=lambda s: sizes[s])
        history = con.execute(f"select as_of_date::varchar, members, entered, exited from segment_daily_sizes "
                              f"where segment = '{largest}' order by 1").fetchall()  # fmt: skip
        overlaps = {f"{a}|{b}": n for a, b, n in con.execute(
            "select segment_a, segment_b, members_both from segment_overlaps").fetchall()}  # fmt: skip
        alive = {f"{i / 10:.1f}-{(i + 1) / 10:.1f}": con.execute(
            f"select count(*) from contact_features where p_alive >= {i / 10} and p_alive < {(i + 1) / 10 + (i == 9)}"
        ).fetchone()[0] for i in range(10)}  # type: ignore[index]  # fmt: skip
        value_bins = [("0-10", 0, 10), ("10-50", 10, 50), ("50-100", 50, 100), ("100-250", 100, 250),
                      ("250-500", 250, 500), ("500-1,000", 500, 1000), ("1,000+", 1000, 10**12)]  # fmt: skip
        clv = {label: con.execute(f"select count(*) from contact_features where predicted_clv_12m >= {low} "
                                  f"and predicted_clv_12m < {high}").fetchone()[0]  # type: ignore[index]
               for label, low, high in value_bins}  # fmt: skip
        buyers = con.execute("select count(*) from contact_features where frequency > 0").fetchone()[0]  # type: ignore[index]
        channels = dict(con.execute("select top_channel_90d, count(*) from contact_features "
                                    "where top_channel_90d is not null group by 1").fetchall())  # fmt: skip
        balances = [r[0] for r in con.execute("select loyalty_points_balance from contact_features "
                                              "where loyalty_points_balance is not null").fetchall()]  # fmt: skip
        lift_rows = con.execute("select segment, group_name, reference_group, conversion_rate, "
                                "reference_conversion_rate from segment_lift").fetchall()  # fmt: skip
        months = dict(con.execute("select month_start_date::varchar || case when is_open then ' (open)' else '' end, "
                                  "absolute_lift from global_lift").fetchall())  # fmt: skip
        steps = {segment: {f"{n}. {path}": after for n, path, after in con.execute(
            "select step_number, condition_path, contacts_after from segment_funnels where segment_name = ?",
            [segment]).fetchall()} for segment in (largest, "vip", "browse_abandoners")}  # fmt: skip
        vip_history = con.execute("select as_of_date::varchar, members from segment_daily_sizes "
                                  "where segment = 'vip' order by 1").fetchall()  # fmt: skip

    assert marks(page, "chart-sizes") == sizes and len(sizes) == 42
    assert marks(page, "chart-funnel") == funnel
    assert marks(page, "chart-overlaps") == overlaps and len(overlaps) == 42 * 42
    assert marks(page, "chart-engagement") == engagement
    assert marks(page, "chart-p-alive") == alive and sum(alive.values()) == buyers > 100
    assert marks(page, "chart-clv") == clv and sum(clv.values()) == buyers
    assert marks(page, "chart-channels") == channels and len(channels) >= 5
    # Balance bins stated here: below 0, 0, 1-99, 100-499, 500-999, 1,000-4,999, 5,000+.
    bins = [("below 0", -10**12, 0), ("0", 0, 1), ("1-99", 1, 100), ("100-499", 100, 500), ("500-999", 500, 1000),
            ("1,000-4,999", 1000, 5000), ("5,000+", 5000, 10**12)]  # fmt: skip
    loyalty = {label: sum(low <= b < high for b in balances) for label, low, high in bins}
    assert marks(page, "chart-loyalty") == loyalty and sum(loyalty.values()) == len(balances) > 10
    assert {k: v for k, v in marks(page, "chart-rfm").items() if v} == grid and len(marks(page, "chart-rfm")) == 25
    # Lift: each group's conversion (the reference group once per segment), where a cohort has closed.
    rates = {f"{seg}: {group}": float(rate) for seg, group, _, rate, _ in lift_rows if rate is not None}
    rates |= {f"{seg}: {ref}": float(rate) for seg, _, ref, _, rate in lift_rows if rate is not None}
    assert marks(page, "chart-lift") == rates == {"lapsing: treatment": 0.15, "lapsing: holdout": 0.06}
    assert len(lift_rows) == 3  # lapsing, and cart_abandoners' two split groups (no closed cohort yet)
    assert (
        marks(page, "chart-global-lift")
        == {k: float(v) for k, v in months.items()}
        == {"2026-09-01": 0.05, "2026-10-01 (open)": 0.004211}
    )
    assert marks(page, "chart-sendable") == {"sendable": sendable, "not_sendable": total - sendable}
    share = f"{100 * sendable / total:.1f} %"
    assert share in page.inner_text("#chart-sendable")
    # The demo's exclusion list holds a legal hold in force (C0000002) and one that has ended.
    assert f"{excluded:,} on the exclusion list" in page.inner_text("#chart-sendable") and excluded == 1

    # The history charts follow the segment picker: the largest segment first, then another one.
    assert len(history) == 3
    assert marks(page, "chart-history") == {d: m for d, m, _, _ in history}
    assert marks(page, "chart-segment-funnel") == steps[largest] and steps[largest]
    # Changes start at the second recorded day (on the first, every member "entered").
    assert marks(page, "chart-changes", ".entered") == {d: e for d, _, e, _ in history[1:]}
    assert marks(page, "chart-changes", ".exited") == {d: x for d, _, _, x in history[1:]}
    page.select_option("#segment-picker", "vip")
    assert marks(page, "chart-history") == dict(vip_history)
    # The picked segment's funnel: its rule, then (an email audience) its membership.
    assert marks(page, "chart-segment-funnel") == steps["vip"] and list(steps["vip"]) == ["1. rule", "2. membership"]
    page.select_option("#segment-picker", "browse_abandoners")
    assert marks(page, "chart-segment-funnel") == steps["browse_abandoners"]
    assert list(steps["browse_abandoners"]) == ["1. rule.all[0]", "2. rule.all[1]", "3. membership"]
    assert problems == []
    page.close()


def test_report_without_history_says_so(browser: Browser, demo_copy: Path, tmp_path: Path) -> None:
    db = demo_copy
    with duckdb.connect(str(db)) as con:
        con.execute("delete from segment_daily_sizes")
    assert report(db, tmp_path / "r.html").returncode == 0
    page = browser.new_page()
    page.goto((tmp_path / "r.html").as_uri())
    page.wait_for_selector("body[data-rendered=true]")
    assert "No history recorded yet" in page.inner_text("#chart-history")
    assert "Changes show from the second recorded day" in page.inner_text("#chart-changes")
    page.close()


def test_report_errors_are_clear(tmp_path: Path) -> None:
    missing = report(tmp_path / "absent.duckdb", tmp_path / "r.html")
    assert missing.returncode == 1 and "no warehouse at" in missing.stderr
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    bare = report(empty, tmp_path / "r.html")
    assert bare.returncode == 1 and "lacks contact_segments, contact_features, segment_daily_sizes" in bare.stderr
    assert "Traceback" not in missing.stderr + bare.stderr
