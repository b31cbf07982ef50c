"""`segments generate`: deterministic, believable, and a proper command-line tool."""

from __future__ import annotations

import filecmp
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS

TABLES = [
    "contacts",
    "events",
    "contact_tags",
    "contact_attributes",
    "suppressions",
    "erasure_requests",
    "fx_rates",
    "exclusions",
]


def one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SEGMENTS, "generate", *args], cwd=PROJECT_DIR, capture_output=True, text=True)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "a"
    assert run("--contacts", "3000", "--days", "365", "--out", str(out), "--quiet").returncode == 0
    return out


def test_same_seed_gives_identical_files_and_another_seed_differs(sample: Path, tmp_path: Path) -> None:
    assert run("--contacts", "3000", "--days", "365", "--out", str(tmp_path / "b"), "--quiet").returncode == 0
    assert (
        run("--contacts", "3000", "--days", "365", "--out", str(tmp_path / "c"), "--seed", "9", "--quiet").returncode
        == 0
    )
    for table in TABLES:
        assert filecmp.cmp(sample / f"{table}.csv", tmp_path / "b" / f"{table}.csv", shallow=False), table
    assert not filecmp.cmp(sample / "events.csv", tmp_path / "c" / "events.csv", shallow=False)


def test_committed_demo_seeds_are_the_default_output(tmp_path: Path) -> None:
    assert run("--out", str(tmp_path), "--quiet").returncode == 0
    for table in TABLES:
        committed = PROJECT_DIR / "seeds" / "demo" / f"{table}.csv"
        assert filecmp.cmp(committed, tmp_path / f"{table}.csv", shallow=False), f"seeds/demo/{table}.csv is stale"


def test_distributions_are_believable(sample: Path) -> None:
    con = duckdb.connect()
    con.execute(f"create view events as select * from read_csv('{sample}/events.csv', all_varchar = true)")
    con.execute(f"create view contacts as select * from read_csv('{sample}/contacts.csv', all_varchar = true)")
    (contacts,) = one(con, "select count(distinct contact_id) from contacts")
    buyers, top_share = one(
        con,
        """
        with spend as (
            select contact_id, sum(try_cast(revenue as double)) as total
            from events where lower(event_type) in ('purchase', 'order_completed') group by 1
        )
        select count(*), (select sum(total) from (select total from spend order by total desc
                                                  limit (select count(*) // 10 from spend))) / sum(total)
        from spend
    """,
    )
    assert 0.05 < buyers / contacts < 0.5, "most contacts never buy, but some do"
    assert top_share > 0.25, "spend is skewed: the top 10 % of buyers bring a large share"
    # Engagement decays: opens per delivered email fall with the age of the subscription.
    young, old = one(
        con,
        """
        with sends as (
            select e.contact_id, e.message_id, e.event_type,
                   date_diff('day', try_cast(c.created_at as timestamp), try_cast(e.occurred_at as timestamp)) as age
            from events e join contacts c using (contact_id)
            where e.event_type in ('email_delivered', 'email_opened') and coalesce(e.is_machine_open, '') != 'true'
        )
        select count(*) filter (where event_type = 'email_opened' and age < 60)
                 / count(*) filter (where event_type = 'email_delivered' and age < 60),
               count(*) filter (where event_type = 'email_opened' and age >= 180)
                 / count(*) filter (where event_type = 'email_delivered' and age >= 180)
        from sends
    """,
    )
    assert young > old * 1.3
    for column, minimum in (("country", 8), ("timezone", 8), ("source", 6)):
        (distinct,) = one(con, f"select count(distinct lower(trim({column}))) from contacts")
        assert distinct >= minimum, column
    devices = {
        r[0] for r in con.execute("select distinct lower(device_type) from events where device_type != ''").fetchall()
    }
    assert devices == {"desktop", "mobile", "tablet", "other"}


def test_parquet_holds_the_same_rows_as_csv(sample: Path, tmp_path: Path) -> None:
    assert (
        run("--contacts", "3000", "--days", "365", "--format", "parquet", "--out", str(tmp_path), "--quiet").returncode
        == 0
    )
    con = duckdb.connect()
    for table in TABLES:
        csv_rows = con.execute(f"select * from read_csv('{sample}/{table}.csv', all_varchar = true)").fetchall()
        pq_rows = con.execute(f"select * from read_parquet('{tmp_path}/{table}.parquet')").fetchall()
        # CSV reads an empty quoted field as null, Parquet keeps ''.
        assert sorted(tuple(v or "" for v in r) for r in csv_rows) == sorted(tuple(v or "" for v in r) for r in pq_rows)


def test_switching_format_removes_the_other_format(tmp_path: Path) -> None:
    assert run("--contacts", "10", "--out", str(tmp_path), "--quiet").returncode == 0
    assert run("--contacts", "10", "--out", str(tmp_path), "--format", "parquet", "--quiet").returncode == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".parquet"] * len(TABLES)


def test_help_and_bad_arguments() -> None:
    helped = run("--help")
    assert helped.returncode == 0
    for option in ("--seed", "--contacts", "--days", "--end-date", "--format", "--out"):
        assert option in helped.stdout
    bad_date = run("--out", "/tmp/x", "--end-date", "31.10.2026")
    assert bad_date.returncode == 2 and "--end-date must be YYYY-MM-DD" in bad_date.stderr
    bad_count = run("--out", "/tmp/x", "--contacts", "0")
    assert bad_count.returncode == 2 and "--contacts must be at least 1" in bad_count.stderr


def test_progress_and_summary_are_printed(tmp_path: Path) -> None:
    proc = run("--contacts", "25", "--out", str(tmp_path))
    assert proc.returncode == 0
    assert "25/25 contacts" in proc.stderr
    assert proc.stdout.startswith(f"wrote csv to {tmp_path}")
