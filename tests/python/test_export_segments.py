"""`segments export`: shapes, sendability, sync modes with state, atomic writes, errors."""

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
from conftest import PROJECT_DIR, SEGMENTS

SCRIPT = [*SEGMENTS, "export"]
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
    flags = [c for c in table.column_names if c.startswith("seg_") and not c.endswith("_split")]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        any_segment = " or ".join(flags)
        exact = con.execute(f"select count(*) from contact_segments where is_email_sendable and ({any_segment})")
        expected = exact.fetchone()
        excluded = {r[0] for r in con.execute("select contact_id from contact_features where is_excluded").fetchall()}
        groups = dict(con.execute("select contact_id, seg_cart_abandoners_split from contact_segments "
                                  "where seg_cart_abandoners and is_email_sendable").fetchall())  # fmt: skip
    assert len(flags) == 42 and expected is not None and table.num_rows == expected[0] > 0
    # cart_abandoners has A/B splits: each member's group travels with the membership, null for others.
    exported = dict(zip(table.column("contact_id").to_pylist(), table.column("seg_cart_abandoners_split").to_pylist(),
                        strict=True))  # fmt: skip
    assert set(groups.values()) == {"reminder", "offer"}
    assert {c: g for c, g in exported.items() if g is not None} == groups
    # The demo's exclusion list (C0000002, a legal hold) reaches no export, whatever its segments.
    assert excluded == {"C0000002"} and not excluded & set(table.column("contact_id").to_pylist())
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


def untouched(*folders: Path, but: str = "") -> dict[Path, tuple[bytes, int]]:
    """Every file of the folders (but the one named `but`), with its bytes and modification time."""
    files = [p for d in folders for p in d.iterdir() if p.name != but]
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


def test_sync_modes_send_what_changed_and_rerunning_changes_nothing(warehouse: Path, tmp_path: Path) -> None:
    full, upsert, mirror = tmp_path / "full", tmp_path / "upsert", tmp_path / "mirror"
    first = members(warehouse, "engaged")
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        assert export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out)).returncode == 0
    assert {r["contact_id"] for r in read_csv(full / "segments.csv")} == first
    assert {(r["contact_id"], r["action"]) for r in read_csv(upsert / "segments.csv")} == {(c, "add") for c in first}

    # Again after a success: nothing is written, the state stays as it is; the log records the run.
    snapshot = untouched(full, upsert, mirror, but="sync-log.jsonl")
    time.sleep(0.01)
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        done = export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out))
        assert done.returncode == 0 and "nothing to send" in done.stdout
    assert untouched(full, upsert, mirror, but="sync-log.jsonl") == snapshot
    assert [r["files"][0]["rows_sent"] for r in read_jsonl(upsert / "sync-log.jsonl")] == [len(first), 0]

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


def test_fields_send_traits_and_a_changed_trait_is_an_update_in_every_mode(warehouse: Path, tmp_path: Path) -> None:
    # Columns of contact_features, and a computed trait of contact_traits (docs/traits.md).
    fields = ["loyalty_points_balance", "last_touch_channel", "viewed_categories_30d", "lead_score",
              "last_loyalty_activity_at", "purchase_lines_365d"]  # fmt: skip
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = {r[0]: r[1:] for r in con.execute(
            f"select contact_id, {', '.join(fields)} from contact_features inner join contact_traits using (contact_id)"
            " where contact_id in (select contact_id from contact_segments where seg_engaged and is_email_sendable)"
        ).fetchall()}  # fmt: skip
    assert any(v[0] is not None for v in expected.values()) and any(v[2] for v in expected.values())
    assert any(v[5] > 0 for v in expected.values())
    full, upsert, mirror = tmp_path / "full", tmp_path / "upsert", tmp_path / "mirror"
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        done = export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out), "--format", "jsonl",
                      "--fields", ",".join([*fields, "email"]))  # fmt: skip
        assert done.returncode == 0, done.stderr
    rows = read_jsonl(full / "segments.jsonl")
    assert list(rows[0]) == [*PROFILE, *fields, "seg_engaged"]
    # JSON values: whole numbers, text, lists, decimals as numbers, times as ISO text (null as null).
    assert {r["contact_id"]: [r[f] for f in fields] for r in rows} == {
        c: [b, ch, cats, float(score), at.isoformat(sep=" ") if at else None, lines]
        for c, (b, ch, cats, score, at, lines) in expected.items()
    }

    # One member's balance changes, another leaves: the change is an update, in every mode.
    changed, left = sorted(expected)[:2]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"update contact_features set loyalty_points_balance = 123456 where contact_id = '{changed}'")
        con.execute(f"update contact_segments set seg_engaged = false where contact_id = '{left}'")
    for out, mode in ((full, "full"), (upsert, "upsert"), (mirror, "mirror")):
        done = export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out), "--format", "jsonl",
                      "--fields", ",".join(fields))  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert {r["contact_id"]: r["loyalty_points_balance"] for r in read_jsonl(full / "segments.jsonl")}[
        changed
    ] == 123456
    assert [(r["contact_id"], r["action"], r["loyalty_points_balance"]) for r in read_jsonl(upsert / "segments.jsonl")
            ] == [(changed, "update", 123456)]  # fmt: skip
    assert [(r["contact_id"], r["action"]) for r in read_jsonl(mirror / "segments.jsonl")] == [
        (changed, "update"), (left, "remove")]  # fmt: skip

    # CSV: lists as JSON arrays; an unknown field is refused with the model's columns.
    csv_out = tmp_path / "csv"
    assert export(warehouse, "--segments", "engaged", "--out", str(csv_out), "--fields", "viewed_categories_30d"
                  ).returncode == 0  # fmt: skip
    listed = [r["viewed_categories_30d"] for r in read_csv(csv_out / "segments.csv") if r["viewed_categories_30d"]]
    assert listed and all(isinstance(json.loads(v), list) for v in listed)
    bad = export(warehouse, "--segments", "engaged", "--out", str(tmp_path / "bad"), "--fields", "lead_score,net_worth")
    assert (
        bad.returncode == 2
        and "unknown field(s): net_worth; --fields takes columns of contact_features and traits of contact_traits:"
        in bad.stderr
    )
    assert not (tmp_path / "bad").exists()


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


@pytest.mark.parametrize(
    ("break_the_mart", "message"),
    [
        ("delete from contact_segments", "the mart contact_segments is empty: refusing to sync to"),
        ("update contact_segments set as_of_date = as_of_date - 1",
         "the mart is as of 2026-10-30, older than 2026-10-31 already synced to"),
    ],
    ids=["empty mart", "stale mart"],
)  # fmt: skip
def test_guards_refuse_an_empty_or_stale_mart_and_leave_the_destination_alone(
    warehouse: Path, tmp_path: Path, break_the_mart: str, message: str
) -> None:
    out = tmp_path / "mirror"
    for mode in ("mirror", "upsert", "full"):
        target = out / mode
        assert export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(target)).returncode == 0
    before = {mode: untouched(out / mode) for mode in ("mirror", "upsert", "full")}
    with duckdb.connect(str(warehouse)) as con:
        con.execute(break_the_mart)
    for mode in ("mirror", "upsert", "full"):
        refused = export(warehouse, "--segments", "engaged", "--mode", mode, "--out", str(out / mode))
        assert refused.returncode == 3 and message in refused.stderr, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
        assert untouched(out / mode) == before[mode]


def test_mirror_refuses_mass_removal_unless_allowed(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "mirror"
    engaged = sorted(members(warehouse, "engaged"))
    assert export(warehouse, "--segments", "engaged", "--mode", "mirror", "--out", str(out)).returncode == 0
    before = untouched(out)
    leaving = engaged[: len(engaged) // 4 + 1]  # just over a quarter of the members leave
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update contact_segments set seg_engaged = false where contact_id in (select unnest(?))", [leaving])
    share = round(100 * len(leaving) / len(engaged))
    refused = export(warehouse, "--segments", "engaged", "--mode", "mirror", "--out", str(out))
    assert refused.returncode == 3 and untouched(out) == before
    assert (f"segments.csv would remove {len(leaving)} of its {len(engaged)} members ({share} %), "
            "more than --max-removal-pct 20") in refused.stderr  # fmt: skip

    # A higher threshold lets it through; the removals are sent.
    done = export(warehouse, "--segments", "engaged", "--mode", "mirror", "--out", str(out), "--max-removal-pct", "30")
    assert done.returncode == 0, done.stderr
    assert {r["contact_id"] for r in read_csv(out / "segments.csv") if r["action"] == "remove"} == set(leaving)

    # Everyone leaves: refused again, unless --allow-mass-removal.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update contact_segments set seg_engaged = false")
    assert export(warehouse, "--segments", "engaged", "--mode", "mirror", "--out", str(out)).returncode == 3
    allowed = export(warehouse, "--segments", "engaged", "--mode", "mirror", "--out", str(out), "--allow-mass-removal")
    assert allowed.returncode == 0 and f"segments.csv: {len(engaged) - len(leaving)} rows sent" in allowed.stdout


def test_dry_run_counts_per_file_and_writes_nothing(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "lists"
    args = ["--segments", "engaged,lapsing", "--layout", "lists", "--mode", "mirror", "--out", str(out)]
    first = export(warehouse, *args, "--dry-run")
    assert first.returncode == 0 and not out.exists()
    for segment in ("engaged", "lapsing"):
        added = len(members(warehouse, segment))
        assert f"{segment}.csv: would add {added}, update 0, remove 0 ({added} rows to send;" in first.stdout

    assert export(warehouse, *args).returncode == 0
    before = untouched(out)
    move_a_day(warehouse)
    dry = export(warehouse, *args, "--dry-run")
    assert dry.returncode == 0 and untouched(out) == before
    assert "engaged.csv: would add 1, update 1, remove 1 (3 rows to send; dry run, nothing written)" in dry.stdout
    assert "lapsing.csv: would add 0, update 0, remove 0 (0 rows to send;" in dry.stdout


def test_every_sync_is_logged_and_its_files_are_private(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "klaviyo"
    engaged = members(warehouse, "engaged")
    assert export(warehouse, "--segments", "engaged", "--mode", "upsert", "--out", str(out)).returncode == 0
    left, joined = move_a_day(warehouse)
    assert export(warehouse, "--segments", "engaged", "--mode", "mirror", "--out", str(out)).returncode == 0
    log = read_jsonl(out / "sync-log.jsonl")
    assert [(r["as_of"], r["mode"], r["outcome"]) for r in log] == [
        ("2026-10-31", "upsert", "sent"), ("2026-10-31", "mirror", "sent")]  # fmt: skip
    assert log[0]["files"] == [{"file": "segments.csv", "segments": ["engaged"], "added": len(engaged),
                                "updated": 0, "removed": 0, "rows_sent": len(engaged)}]  # fmt: skip
    assert log[1]["files"][0] | {"segments": None} == {
        "file": "segments.csv", "segments": None, "added": 1, "updated": 1, "removed": 1, "rows_sent": 3}  # fmt: skip
    assert left not in {r["contact_id"] for r in read_csv(out / "segments.csv") if r["action"] != "remove"}
    assert joined in {r["contact_id"] for r in read_csv(out / "segments.csv")}
    for name in ("segments.csv", ".sync-state.json", "sync-log.jsonl"):
        assert (out / name).stat().st_mode & 0o777 == 0o600, name
