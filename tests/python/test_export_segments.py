"""scripts/export_segments.py: shapes, sendability, sync modes with state, atomic writes, errors."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_DIR

SCRIPT = [sys.executable, "scripts/export_segments.py"]
PROFILE = ["contact_id", "email", "first_name", "country", "timezone", "language"]


@pytest.fixture
def warehouse(demo_copy: Path) -> Path:
    return demo_copy


def export(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SCRIPT, "--db", str(db), *args], cwd=PROJECT_DIR, capture_output=True, text=True)


def members(db: Path, segment: str, sendable_only: bool = True) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        where = f"seg_{segment}" + (" and is_email_sendable" if sendable_only else "")
        return {r[0] for r in con.execute(f"select contact_id from contact_segments where {where}").fetchall()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_flags_layout_holds_sendable_members_with_one_column_per_segment(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "klaviyo"
    done = export(warehouse, "--segments", "engaged,rfm_champions", "--out", str(out), "--with-sha256")
    assert done.returncode == 0, done.stderr
    rows = read_csv(out / "segments.csv")
    assert list(rows[0]) == [*PROFILE, "email_sha256", "seg_engaged", "seg_rfm_champions"]
    engaged, champions = members(warehouse, "engaged"), members(warehouse, "rfm_champions")
    assert {r["contact_id"] for r in rows} == engaged | champions
    assert {r["contact_id"] for r in rows if r["seg_engaged"] == "true"} == engaged
    # rfm_champions is an analysis segment: its unsendable members stay out.
    assert members(warehouse, "rfm_champions", sendable_only=False) - champions, "fixture has no unsendable champion"
    assert all(hashlib.sha256(r["email"].encode()).hexdigest() == r["email_sha256"] for r in rows)
    assert [r["contact_id"] for r in rows] == sorted(r["contact_id"] for r in rows)
    assert "segments.csv: " in done.stdout


def test_lists_layout_writes_one_file_per_segment_in_each_format(warehouse: Path, tmp_path: Path) -> None:
    done = export(warehouse, "--segments", "engaged,vip", "--layout", "lists", "--format", "jsonl",
                  "--out", str(tmp_path / "jsonl"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    for segment in ("engaged", "vip"):
        rows = read_jsonl(tmp_path / "jsonl" / f"{segment}.jsonl")
        assert list(rows[0]) == PROFILE and {r["contact_id"] for r in rows} == members(warehouse, segment)
    assert export(warehouse, "--all", "--format", "parquet", "--out", str(tmp_path / "pq")).returncode == 0
    table = pq.read_table(tmp_path / "pq" / "segments.parquet")
    flags = [c for c in table.column_names if c.startswith("seg_")]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        any_segment = " or ".join(flags)
        exact = con.execute(f"select count(*) from contact_segments where is_email_sendable and ({any_segment})")
        expected = exact.fetchone()
    assert len(flags) == 27 and expected is not None and table.num_rows == expected[0] > 0
    assert "seg_cart_abandoners_holdout" not in table.column_names


def move_a_day(db: Path) -> tuple[str, str]:
    """Simulate the next day in the mart: one contact leaves `engaged`, one joins, one changes name."""
    with duckdb.connect(str(db)) as con:
        leaver = con.execute("select min(contact_id) from contact_segments where seg_engaged and is_email_sendable")
        left = leaver.fetchone()[0]  # type: ignore[index]
        joiner = con.execute("select min(contact_id) from contact_segments where not seg_engaged and is_email_sendable")
        joined = joiner.fetchone()[0]  # type: ignore[index]
        con.execute(f"update contact_segments set seg_engaged = false where contact_id = '{left}'")
        con.execute(f"update contact_segments set seg_engaged = true where contact_id = '{joined}'")
        renamed = (
            "select max(contact_id) from contact_segments "
            f"where seg_engaged and is_email_sendable and contact_id != '{joined}'"
        )
        con.execute(f"update contact_segments set first_name = 'Renamed' where contact_id = ({renamed})")
    return left, joined


def test_sync_modes_send_what_changed_and_rerunning_changes_nothing(warehouse: Path, tmp_path: Path) -> None:
    full, upsert, mirror = tmp_path / "full", tmp_path / "upsert", tmp_path / "mirror"
    first = members(warehouse, "engaged")
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        assert export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out)).returncode == 0
    assert {r["contact_id"] for r in read_csv(full / "segments.csv")} == first
    assert {(r["contact_id"], r["action"]) for r in read_csv(upsert / "segments.csv")} == {(c, "add") for c in first}

    # Again after a success: nothing is written, the state stays as it is.
    snapshot = {p: (p.read_bytes(), p.stat().st_mtime_ns) for d in (full, upsert, mirror) for p in d.iterdir()}
    time.sleep(0.01)
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        done = export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out))
        assert done.returncode == 0 and "nothing to send" in done.stdout
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for d in (full, upsert, mirror) for p in d.iterdir()} == snapshot

    left, joined = move_a_day(warehouse)
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        assert export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out)).returncode == 0
    assert {r["contact_id"] for r in read_csv(full / "segments.csv")} == members(warehouse, "engaged")
    sent = {r["contact_id"]: r["action"] for r in read_csv(upsert / "segments.csv")}
    renamed = [c for c, a in sent.items() if a == "update"]
    assert sent == {joined: "add", renamed[0]: "update"}
    removed = {r["contact_id"]: r for r in read_csv(mirror / "segments.csv")}
    assert {c: r["action"] for c, r in removed.items()} == {joined: "add", renamed[0]: "update", left: "remove"}
    assert removed[left]["email"] and removed[left]["first_name"] == ""


def test_a_failed_run_is_resent_by_the_next_one(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "mailchimp"
    out.mkdir()
    (out / "lapsing.csv").mkdir()  # the second file cannot be put in place
    args = ["--segments", "engaged,lapsing,dormant", "--layout", "lists", "--mode", "mirror", "--out", str(out)]
    failed = export(warehouse, *args)
    assert failed.returncode == 1 and "cannot write" in failed.stderr and "lapsing.csv" in failed.stderr
    state = json.loads((out / ".sync-state.json").read_text())
    assert list(state["files"]) == ["engaged"]
    assert not list(out.glob(".*.tmp-*")) and not (out / "dormant.csv").exists()

    (out / "lapsing.csv").rmdir()
    done = export(warehouse, *args)
    assert done.returncode == 0, done.stderr
    assert "engaged.csv: nothing to send" in done.stdout
    for segment in ("lapsing", "dormant"):
        rows = read_csv(out / f"{segment}.csv")
        assert {(r["contact_id"], r["action"]) for r in rows} == {(c, "add") for c in members(warehouse, segment)}


def test_errors_are_clear_and_exit_non_zero(warehouse: Path, tmp_path: Path) -> None:
    unknown = export(warehouse, "--segments", "engaged,nope", "--out", str(tmp_path / "x"))
    assert unknown.returncode == 2 and "unknown segment(s): nope" in unknown.stderr and "engaged" in unknown.stderr

    missing = export(tmp_path / "absent.duckdb", "--all", "--out", str(tmp_path / "x"))
    assert missing.returncode == 1 and "no warehouse at" in missing.stderr

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    no_mart = export(empty, "--all", "--out", str(tmp_path / "x"))
    assert no_mart.returncode == 1 and "lacks contact_segments: run `dbt build` first" in no_mart.stderr

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    unwritable = export(warehouse, "--all", "--out", str(blocker / "out"))
    assert unwritable.returncode == 1 and "cannot create the destination" in unwritable.stderr

    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({str(warehouse)!r}); "
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        locked = export(warehouse, "--all", "--out", str(tmp_path / "x"))
    finally:
        holder.kill()
        holder.wait()
    assert locked.returncode == 1 and "is locked by another process" in locked.stderr
    assert not any("Traceback" in r.stderr for r in (unknown, missing, no_mart, unwritable, locked))


def test_help_documents_the_modes() -> None:
    done = subprocess.run([*SCRIPT, "--help"], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert done.returncode == 0 and all(m in done.stdout for m in ("full", "upsert", "mirror", "--with-sha256"))
