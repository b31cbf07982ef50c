"""`segments build` and `segments publish`: readers never block the build nor see a mix of days;
one build at a time; a failed build publishes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from conftest import PROJECT_DIR, SEGMENTS

# A reader as a BI tool is one: its own process, holding the published file open and
# querying it all the time, until told to stop; then it reopens the path once.
READER = """
import json, os, pathlib, sys
import duckdb
db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
con = duckdb.connect(db, read_only=True)
seen, queries = set(), 0
pathlib.Path(sys.argv[3]).write_text("reading")
parent = os.getppid()
# Until told to stop, or until the test that started it is gone (a killed pytest must not leave it running).
while not stop.exists() and os.getppid() == parent:
    days = con.execute(
        "select distinct as_of_date from contact_segments union select distinct as_of_date from contact_features "
        "union select as_of_date from publication union select max(as_of_date) from segment_daily_sizes"
    ).fetchall()
    seen.add(tuple(sorted(str(d[0]) for d in days)))
    con.execute("select count(*), sum(hash(contact_id)) from contact_features").fetchall()
    queries += 1
con.close()
with duckdb.connect(db, read_only=True) as again:
    after = str(again.execute("select as_of_date from publication").fetchone()[0])
print(json.dumps({"seen": sorted(seen), "queries": queries, "after": after}))
"""


def environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_DUCKDB_PATH": str(tmp_path / "build.duckdb"),
        "SEGMENTS_PUBLISHED_PATH": str(tmp_path / "published" / "segments.duckdb"),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
    }


def build(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*SEGMENTS, "build", *args], cwd=PROJECT_DIR, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def finished(process: subprocess.Popen[str], timeout: float = 600) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def published_day(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return str(con.execute("select as_of_date from publication").fetchone()[0])  # type: ignore[index]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_readers_never_block_the_build_one_build_at_a_time_and_failures_publish_nothing(tmp_path: Path) -> None:
    env = environment(tmp_path)
    published = Path(env["SEGMENTS_PUBLISHED_PATH"])
    code, out, err = finished(build(env, "--as-of", "2026-10-30"))
    assert code == 0, err
    assert f"build: published as of 2026-10-30 to {published}" in out
    assert published_day(published) == "2026-10-30"
    # dbt source freshness ran after the build, against the clock: the demo's newest event is of
    # 2026-11-01 (a seed of late events), older than the events' error_after of 3 days by now.
    freshness = re.search(r"build: source freshness: marketing\.events is ([0-9.]+) days old "
                          r"\(newest 2026-11-01T00:50\), past its error_after of 3 days", err)  # fmt: skip
    assert freshness and float(freshness.group(1)) > 3, err

    # A reader holds the published warehouse and queries it while the next day builds.
    stop, ready = tmp_path / "stop-reading", tmp_path / "reader-ready"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop), str(ready)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    wait_for(ready.exists, "the reader")
    first = build(env, "--as-of", "2026-10-31")
    lock = tmp_path / "build.duckdb.build-lock"
    wait_for(lambda: lock.exists() and f"pid {first.pid}," in lock.read_text(), "the build's lock")

    # A second build while the first runs: stops at once, or after its wait, naming the first.
    code, _, err = finished(build(env, "--as-of", "2026-10-31"))
    assert code == 3 and err.startswith(f"build: another build is running (build, pid {first.pid}, started ")
    assert err.rstrip().endswith("not started") and len(err.strip().splitlines()) == 1
    code, _, err = finished(build(env, "--as-of", "2026-10-31", "--wait", "1"))
    assert code == 3 and err.rstrip().endswith("not started after waiting 1 s") and "Traceback" not in err

    code, out, err = finished(first)
    assert code == 0, err
    assert "build: published as of 2026-10-31" in out
    stop.write_text("")
    reader_out, reader_err = reader.communicate(timeout=60)
    assert reader.returncode == 0, reader_err
    seen = json.loads(reader_out)
    # While it held the file, the reader saw one whole day; reopening, it sees the new one.
    assert seen["seen"] == [["2026-10-30"]] and seen["queries"] > 5 and seen["after"] == "2026-10-31"
    assert published_day(published) == "2026-10-31"

    # A build that fails publishes nothing and says so; readers keep the last day.
    before = published.stat().st_ino
    code, out, err = finished(build(env, "--as-of", "2026-11-01", "--vars", f"{{raw_data_path: {tmp_path}/none}}"))
    assert code == 1
    assert (
        err.strip().splitlines()[-1]
        == "build: dbt build failed: nothing published (readers keep the one of 2026-10-31)"
    )
    assert published.stat().st_ino == before and published_day(published) == "2026-10-31"
    assert not list(published.parent.glob(".*tmp*"))


def test_publish_refuses_marts_of_two_days_and_keeps_what_readers_have(tmp_path: Path) -> None:
    from contact_segmentation.publish import PUBLISHED_TABLES, publish
    from contact_segmentation.warehouse import WarehouseError

    build_db, published = tmp_path / "build.duckdb", tmp_path / "published" / "segments.duckdb"
    # The columns the publish audit reads, beside a contact and a day.
    audited = {
        "contact_segments": ", true as is_email_sendable",
        "load_batches": ", 1 as load_batch_number, 'contacts' as raw_table, 'b1' as batch_name, 1 as rows_read, "
        "0 as rows_rejected, null::timestamp as batch_modified_at, null::timestamp as registered_at",
        "rejected_rows": ", 'contacts' as source_table, 'b1' as batch_name, 'collapsed' as disposition, 'x' as reason",
    }
    with duckdb.connect(str(build_db)) as con:
        for table in PUBLISHED_TABLES:
            extra = audited.get(table, "")
            con.execute(f"create table {table} as select 'C1' as contact_id, date '2026-10-31' as as_of_date{extra}")
    as_of, counts, _ = publish(build_db, published)
    assert as_of == "2026-10-31" and counts == dict.fromkeys(PUBLISHED_TABLES, 1)
    with duckdb.connect(str(build_db)) as con:
        con.execute("insert into contact_features values ('C2', date '2026-10-30')")
    try:
        publish(build_db, published)
        raise AssertionError("marts of two days were published")
    except WarehouseError as error:
        assert "show several as_of days (2026-10-30, 2026-10-31): nothing published" in error.args[0]
    assert published_day(published) == "2026-10-31"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from contact_features").fetchone() == (1,)


def test_build_refuses_a_bad_day_or_two_days_before_it_starts(tmp_path: Path) -> None:
    """The day reaches dbt once: --as-of (as SEGMENTS_AS_OF) or the as_of var, never both; a day that is
    not a date stops at the argument. Both exit 2 with one usage error, and no build starts (no lock)."""
    env = environment(tmp_path)
    code, out, err = finished(build(env, "--as-of", "2026-10-31", "--vars", "{as_of: 2026-10-30}"))
    assert code == 2 and out == ""
    usage_error = "segments build: error: "
    assert err.strip().splitlines()[-1] == usage_error + "give the day once: --as-of or the as_of var, not both"
    code, _, err = finished(build(env, "--as-of", "31/10/2026"))
    assert code == 2
    assert err.strip().splitlines()[-1] == usage_error + "argument --as-of: not a date (YYYY-MM-DD): 31/10/2026"
    assert not (tmp_path / "build.duckdb.build-lock").exists()
