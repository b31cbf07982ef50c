#!/usr/bin/env python3
"""How many persons a day with no new batch moves (docs/decisions.md, issue 38).

A person's window features (counts over the last 3, 7, 30, 90 or 365 days) change with no
new event only when one of their event days leaves a window as as_of moves on by a day:
a "no-batch day costs what moved" design would recompute those persons and carry the
others over. This reads a built warehouse (DuckDB, read-only) and prints, for each as_of
from --first to --last, the persons with a kept event on as_of minus a window's length,
as a count and a share of all persons, and the share moved by email events alone. The
windows are the distinct lengths of the feature windows in dbt_project.yml (WINDOW_VARS).

Exit codes: 0 printed, 2 bad arguments or no such warehouse.

Example:
    python scripts/window_movers.py --db target/b1m/main/warehouse.duckdb \\
        --first 2026-10-02 --last 2026-10-31
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import duckdb
import yaml

PROJECT = Path(__file__).resolve().parent.parent
# The vars whose value is a window the per-person features count over (docs/features.md).
WINDOW_VARS = (
    "engagement_windows", "engaged_days", "lapsing_days", "new_customer_days", "churned_days", "inactive_days",
    "loyal_window_days", "advocacy_days", "consideration_days", "cart_abandonment_days",
    "browse_abandonment_days", "preferred_device_days", "traffic_channel_days", "interest_days",
    "preferred_open_days",
)  # fmt: skip


def window_lengths() -> list[int]:
    """The distinct window lengths, in days, of the project's feature windows."""
    project_vars = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]["contact_segmentation"]
    lengths: set[int] = set()
    for name in WINDOW_VARS:
        value = project_vars[name]
        lengths.update(value if isinstance(value, list) else [value])
    return sorted(lengths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a built warehouse (DuckDB file)")
    parser.add_argument("--first", type=dt.date.fromisoformat, required=True, help="the first as_of (YYYY-MM-DD)")
    parser.add_argument("--last", type=dt.date.fromisoformat, required=True, help="the last as_of (YYYY-MM-DD)")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"window_movers: no warehouse at {args.db}", file=sys.stderr)
        return 2
    windows = window_lengths()
    con = duckdb.connect(str(args.db), read_only=True)
    con.execute(f"set memory_limit = '{args.memory_limit}'")
    persons = con.execute("select count(*) from int_contacts_resolved").fetchone()[0]  # type: ignore[index]
    rows = con.execute(
        """
        with person_days as (
            select distinct contact_id, cast(occurred_at as date) as event_date, event_type like 'email%' as is_email
            from int_events_resolved
        ),
        days as (select cast(unnest(generate_series(?::date, ?::date, interval 1 day)) as date) as as_of_date),
        windows as (select unnest(?::integer[]) as window_days),
        moved as (
            select days.as_of_date, person_days.contact_id, bool_or(person_days.is_email) as by_email
            from days cross join windows
            inner join person_days on person_days.event_date = days.as_of_date - windows.window_days
            group by days.as_of_date, person_days.contact_id
        )
        select days.as_of_date, count(moved.contact_id), count(moved.contact_id) filter (where moved.by_email)
        from days left join moved on days.as_of_date = moved.as_of_date
        group by days.as_of_date order by days.as_of_date
        """,
        [args.first, args.last, windows],
    ).fetchall()
    print(f"{persons:,} persons; windows of {', '.join(map(str, windows))} days")
    print("as_of       weekday  moved     share   by email")
    for as_of_date, moved, by_email in rows:
        print(f"{as_of_date}  {as_of_date:%a}      {moved:>8,}  {moved / persons:6.1%}  {by_email / persons:6.1%}")
    shares = sorted(moved / persons for _, moved, _ in rows)
    if shares:
        print(f"median share {shares[len(shares) // 2]:.1%}, range {shares[0]:.1%} to {shares[-1]:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
