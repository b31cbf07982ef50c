"""`segments sync`: each destination against a local stand-in of its platform (fake_platforms.py).

After every scenario the platform's state must equal the mart exactly (members, their
segments as tags/lists/attributes, and the fields), and every request must have passed the
platform's documented shape check.
"""

from __future__ import annotations

import base64
import fcntl
import json
import math
import os
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS
from contact_segmentation.export import plain_value
from contact_segmentation.sync import command
from contact_segmentation.sync.mailchimp import merge_tag
from fake_platforms import SECRET, Braze, FakePlatform, Klaviyo, Mailchimp, Webhook, fails_items

DESTINATIONS = ["mailchimp", "klaviyo", "braze", "webhook"]
FIELDS = ["loyalty_points_balance", "last_touch_channel"]
# The platforms' documented batch limits: members a batch subscribe and a tag call (Mailchimp),
# profiles a bulk import job and ids a list call (Klaviyo), attributes a /users/track (Braze).
LIMITS = {"members": 500, "tag": 500, "import job": 10_000, "list add": 1000, "list remove": 1000, "track": 75,
          "batch": 500}  # fmt: skip
# Short waits between retries; a request may take 10 s: the stand-ins check every item of a batch
# against its schema (0.06 s for the demo's 1,239-profile Klaviyo job, many times that on a busy
# machine), and a request timed out is retried. The timeout scenario sets 1 s.
FAST = ["--timeout", "10", "--backoff", "0.01"]


def start(name: str) -> FakePlatform:
    return {"mailchimp": Mailchimp, "klaviyo": Klaviyo, "braze": Braze, "webhook": Webhook}[name]()


def environment(name: str, platform: FakePlatform) -> dict[str, str]:
    return {
        "mailchimp": {"MAILCHIMP_API_KEY": SECRET, "MAILCHIMP_LIST_ID": Mailchimp.LIST,
                      "MAILCHIMP_SERVER_URL": platform.url},
        "klaviyo": {"KLAVIYO_API_KEY": SECRET, "KLAVIYO_BASE_URL": platform.url},
        "braze": {"BRAZE_API_KEY": SECRET, "BRAZE_REST_ENDPOINT": platform.url},
        "webhook": {"SEGMENTS_WEBHOOK_URL": f"{platform.url}/hooks/segments", "SEGMENTS_WEBHOOK_SECRET": SECRET},
    }[name]  # fmt: skip


@pytest.fixture(params=DESTINATIONS)
def platform(request: pytest.FixtureRequest) -> Iterator[FakePlatform]:
    server = start(request.param)
    server.name = request.param  # type: ignore[attr-defined]
    yield server
    server.close()


class Sync:
    """Runs `segments sync` against one platform and one copy of the demo warehouse, as a user would."""

    def __init__(self, platform: FakePlatform, db: Path, state: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
        self.platform, self.db, self.state, self.capsys = platform, db, state, capsys
        self.name: str = platform.name  # type: ignore[attr-defined]
        for key, value in environment(self.name, platform).items():
            monkeypatch.setenv(key, value)

    def args(self, *extra: str) -> list[str]:
        return ["--destination", self.name, "--all", "--fields", ",".join(FIELDS), "--db", str(self.db),
                "--state-dir", str(self.state), *FAST, *extra]  # fmt: skip

    def __call__(self, *extra: str) -> tuple[int, str]:
        code = command.main(self.args(*extra))
        out = self.capsys.readouterr()
        return code, out.out + out.err

    def log(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (self.state / "sync-log.jsonl").read_text().splitlines()]


@pytest.fixture
def sync(platform: FakePlatform, demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Sync:  # fmt: skip
    return Sync(platform, demo_copy, tmp_path / "state", monkeypatch, capsys)


def mart(db: Path) -> dict[str, dict[str, Any]]:
    """What the platform must hold: sendable contacts in a segment, with segments, first name and fields."""
    with duckdb.connect(str(db), read_only=True) as con:
        flags = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'contact_segments' "
            "and column_name like 'seg\\_%' escape '\\' and column_name not like '%\\_holdout' escape '\\'"
            " and data_type = 'BOOLEAN'"
        ).fetchall()]  # fmt: skip
        rows = con.execute(
            f"select s.contact_id, s.email, s.first_name, {', '.join('f.' + f for f in FIELDS)}, "
            f"{', '.join('s.' + f for f in flags)} from contact_segments s join contact_features f using (contact_id) "
            f"where s.is_email_sendable and ({' or '.join('s.' + f for f in flags)})"
        ).fetchall()
    return {
        r[0]: {"email": r[1], "first_name": r[2],
               "fields": {f: json.loads(json.dumps(plain_value(v))) for f, v in zip(FIELDS, r[3:5], strict=True)},
               "segments": {f[4:] for f, on in zip(flags, r[5:], strict=True) if on}}
        for r in rows
    }  # fmt: skip


def audience(platform: FakePlatform, expected: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The platform's state in the mart's shape, for contacts holding at least one synced segment."""
    segments = {s for member in expected.values() for s in member["segments"]} | {"engaged"}
    out: dict[str, dict[str, Any]] = {}
    if isinstance(platform, Mailchimp):
        by_email = {m["email"].lower(): cid for cid, m in expected.items()}
        for email, member in platform.members.items():
            if member["tags"] & segments:
                merge = member["merge_fields"]
                out[by_email.get(email, email)] = {
                    "email": email, "first_name": merge.get("FNAME"), "segments": member["tags"] & segments,
                    "fields": {f: merge.get(merge_tag(f)) for f in FIELDS}}  # fmt: skip
    elif isinstance(platform, Braze):
        for cid, user in platform.users.items():
            held = {k[4:] for k, v in user.items() if k.startswith("seg_") and v is True}
            if held:
                out[cid] = {"email": user.get("email"), "first_name": user.get("first_name"), "segments": held,
                            "fields": {f: user.get(f) for f in FIELDS}}  # fmt: skip
    elif isinstance(platform, Klaviyo):
        for pid, profile in platform.profiles.items():
            held = {v["name"] for v in platform.lists.values() if pid in v["members"]}
            if held:
                out[profile["external_id"]] = {
                    "email": profile["email"], "first_name": profile.get("first_name"), "segments": held,
                    "fields": {f: profile["properties"].get(f) for f in FIELDS}}  # fmt: skip
    else:
        for cid, item in platform.contacts.items():  # type: ignore[attr-defined]
            out[cid] = {"email": item["email"], "first_name": item["profile"]["first_name"],
                        "segments": set(item["segments"]), "fields": item["fields"]}  # fmt: skip
    return out


def as_platform_holds(platform: FakePlatform, expected: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The mart as this platform stores it: Mailchimp keeps emails in lower case and clears a field with ''."""
    if not isinstance(platform, Mailchimp):
        return expected
    return {cid: {**m, "email": m["email"].lower(), "first_name": m["first_name"] or "",
                  "fields": {f: "" if v is None else v for f, v in m["fields"].items()}}
            for cid, m in expected.items()}  # fmt: skip


def assert_platform_equals_mart(sync: Sync, refused: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    expected = {cid: m for cid, m in mart(sync.db).items() if cid not in refused}
    got = audience(sync.platform, expected)
    want = as_platform_holds(sync.platform, expected)
    assert set(got) == set(want), (
        f"missing {sorted(set(want) - set(got))[:5]}, extra {sorted(set(got) - set(want))[:5]}"
    )
    wrong = [cid for cid in want if got[cid] != want[cid]]
    assert not wrong, f"{len(wrong)} contacts differ, e.g. {wrong[0]}: {got[wrong[0]]} != {want[wrong[0]]}"
    assert sync.platform.violations == []


def assert_batches_full(platform: FakePlatform) -> None:
    """At most ceil(rows / limit) requests per kind: every batch full but the last, none above the limit."""
    for group, sizes in platform.batches_by_group().items():
        limit = next(n for kind, n in LIMITS.items() if group.startswith(f"{kind} "))
        assert max(sizes) <= limit, group
        assert len(sizes) == math.ceil(sum(sizes) / limit), f"{group}: {sizes}"


def a_day_later(db: Path) -> dict[str, int]:
    """The next day's mart: 3 contacts in no segment and 40 dormant ones join `engaged`, 30 leave it,
    25 earn points, 8 stop being sendable (removals, as an unsubscribe makes them), one changes email."""
    with duckdb.connect(str(db)) as con:

        def ids(where: str, n: int) -> list[str]:
            rows = con.execute(f"select contact_id from contact_segments where is_email_sendable and {where} "
                               f"order by hash(contact_id) limit {n}").fetchall()  # fmt: skip
            return [r[0] for r in rows]

        def update(table: str, assignment: str, chosen: list[str]) -> None:
            assert chosen, f"the demo has no contact for {assignment}"
            con.execute(f"update {table} set {assignment} where contact_id in ({','.join(repr(c) for c in chosen)})")

        joiners, leavers = ids("not seg_engaged and seg_dormant", 40), ids("seg_engaged", 30)
        flags = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'contact_segments' "
            "and column_name like 'seg\\_%' escape '\\' and data_type = 'BOOLEAN'").fetchall()]  # fmt: skip
        newcomers = ids(f"not ({' or '.join(flags)})", 3)  # in no segment yesterday: adds today
        update("contact_segments", "seg_engaged = true", joiners + newcomers)
        update("contact_segments", "seg_engaged = false", leavers)
        update("contact_features", "loyalty_points_balance = coalesce(loyalty_points_balance, 0) + 150",
               ids("seg_vip", 25))  # fmt: skip
        gone = ids("seg_lapsing and not seg_engaged", 8)
        update("contact_segments", "is_email_sendable = false", gone)
        update("contact_segments", "email = 'moved.' || email", ids("seg_rfm_champions and not seg_engaged", 1))
        con.execute("update contact_segments set as_of_date = as_of_date + 1")
    return {"joined": len(joiners), "left": len(leavers), "removed": len(gone)}


def test_a_full_sync_then_a_day_of_changes_leave_the_platform_equal_to_the_mart(sync: Sync) -> None:
    code, out = sync()
    assert code == 0, out
    assert_platform_equals_mart(sync)
    assert_batches_full(sync.platform)
    first = sync.log()[-1]
    assert first["added"] == len(mart(sync.db)) and first["removed"] == 0
    if isinstance(sync.platform, Braze):
        assert len(sync.platform.sent()) == math.ceil(first["added"] / 75)

    before = mart(sync.db)
    moved = a_day_later(sync.db)
    after = mart(sync.db)
    sync.platform.log.clear()
    code, out = sync()
    assert code == 0, out
    assert_platform_equals_mart(sync)
    assert_batches_full(sync.platform)
    day = sync.log()[-1]
    assert (day["added"], day["removed"]) == (len(set(after) - set(before)), len(set(before) - set(after)))
    assert day["added"] == 3 and day["removed"] >= moved["removed"] > 0
    assert day["removed"] >= moved["removed"] and day["updated"] == sum(
        1 for cid in set(after) & set(before) if after[cid] != before[cid]
    )
    # Only what changed was sent: a day's items are a small part of the full sync's.
    assert 0 < sum(s.items for s in sync.platform.sent()) < first["added"] // 2

    sync.platform.log.clear()
    assert sync()[0] == 0
    assert sync.platform.sent() == [], "a sync with nothing changed sent something"


@pytest.mark.parametrize("fault", ["429", "5xx", "timeout", "reset"])
def test_rate_limits_server_errors_timeouts_and_resets_are_retried(sync: Sync, fault: str) -> None:
    sync.platform.faults = ["500", "502", "503"] if fault == "5xx" else [fault]
    code, out = sync(*(["--timeout", "1"] if fault == "timeout" else []))
    assert code == 0, out
    assert sync.platform.faults == [], "the fault was never injected"
    assert sync.log()[-1]["retries"] >= (3 if fault == "5xx" else 1)
    assert_platform_equals_mart(sync)


def test_a_platform_that_keeps_failing_stops_the_sync_naming_the_batch_and_the_next_run_resumes(sync: Sync) -> None:
    sync.platform.faults = ["503"] * 3
    code, out = sync("--max-attempts", "3")
    assert code == 1
    assert "batch 1 of" in out or "batch 2 of" in out, out
    assert "failed after 3 attempts: 503" in out and "resumes" in out
    assert sync()[0] == 0
    assert_platform_equals_mart(sync)


def test_item_errors_are_recorded_not_retried_and_tried_again_once_the_contact_changes(sync: Sync) -> None:
    sync.platform.item_error_pct = 1.0
    code, out = sync()
    assert code == 0, out
    refused = {cid for cid, m in mart(sync.db).items() if fails_items(m["email"], 1.0)}
    assert 3 <= len(refused) <= 40, "the demo should have about 1 % of its members refused"
    assert_platform_equals_mart(sync, refused)
    with sqlite3.connect(sync.state / "sync-state.sqlite") as con:
        table = dict(con.execute("select contact_id, reason from sync_failures").fetchall())
    assert set(table) == refused and all(table.values())
    assert {f["contact_id"] for f in sync.log()[-1]["failed"]} == refused

    sync.platform.log.clear()
    assert sync()[0] == 0
    assert sync.platform.sent() == [], "refused items were sent again without a change"

    changed = sorted(refused)[0]
    with duckdb.connect(str(sync.db)) as con:
        con.execute(f"update contact_segments set first_name = 'Changed' where contact_id = '{changed}'")
    assert sync()[0] == 0
    assert {f["contact_id"] for f in sync.log()[-1]["failed"]} == {changed}, "the changed contact was not retried"
    assert_platform_equals_mart(sync, refused)


def test_kill_9_mid_sync_then_a_resume_sends_each_change_once(sync: Sync, tmp_path: Path) -> None:
    env = {**os.environ, **environment(sync.name, sync.platform)}
    process = subprocess.Popen([*SEGMENTS, "sync", *sync.args()], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    sync.platform.kill = (process.pid, 2)
    assert process.wait(timeout=120) == -9, "the sync was not killed after its second batch"
    confirmed = [s.digest for s in sync.platform.sent()]
    assert len(confirmed) == 2
    code, out = sync()
    assert code == 0, out
    assert sync.log()[-1]["resumed_batches"] >= 1
    assert_platform_equals_mart(sync)
    answered = [*sync.platform.data_kinds(), "batch repeat"]
    bodies = Counter(s.digest for s in sync.platform.log if s.status < 300 and s.kind in answered)
    repeated = [digest for digest, n in bodies.items() if n > 1]
    # The batch confirmed as the sync died was never committed: it is the one batch sent again.
    assert repeated == [confirmed[1]], "a batch the sync had committed was sent again"
    if isinstance(sync.platform, Webhook):
        assert set(sync.platform.deliveries.values()) == {1}, "a webhook item was applied twice"


def test_no_secret_appears_in_any_output_log_or_file(sync: Sync) -> None:
    outputs = [sync("--dry-run")[1], sync()[1]]
    a_day_later(sync.db)
    sync.platform.faults = ["echo"]
    code, refused = sync()
    assert code == 1 and "refused: 400" in refused, refused
    # The webhook's secret never travels (it signs); the platforms' keys do, and come back masked.
    assert "****" in refused or isinstance(sync.platform, Webhook), "the echoed credentials were not masked"
    outputs.append(refused)
    process = subprocess.run([*SEGMENTS, "sync", *sync.args("--dry-run")], cwd=PROJECT_DIR, capture_output=True,
                             text=True, env={**os.environ, **environment(sync.name, sync.platform)})  # fmt: skip
    assert process.returncode == 0, process.stderr
    outputs += [process.stdout, process.stderr]
    files = [p.read_bytes() for p in sync.state.iterdir() if p.is_file()]
    assert len(files) >= 3, "expected the state, its log and the lock"
    secrets = [SECRET, base64.b64encode(f"segments:{SECRET}".encode()).decode()]
    for secret in secrets:
        assert not [o for o in outputs if secret in o], "a secret was printed"
        assert not [f for f in files if secret.encode() in f], "a secret was written to the state folder"


def test_guards_refuse_an_empty_or_stale_mart_and_mass_removal_and_a_dry_run_sends_nothing(sync: Sync) -> None:
    code, out = sync("--dry-run")
    assert code == 0 and f"would add {len(mart(sync.db))}, update 0, remove 0" in out, out
    assert sync.platform.log == [] and not sync.state.exists(), "a dry run sent or wrote something"
    assert sync()[0] == 0
    with duckdb.connect(str(sync.db)) as con:
        con.execute("update contact_segments set as_of_date = as_of_date - 1")
    code, out = sync()
    assert code == 3 and "older than" in out, out
    with duckdb.connect(str(sync.db)) as con:
        con.execute("update contact_segments set as_of_date = as_of_date + 2, is_email_sendable = seg_engaged")
    sync.platform.log.clear()
    code, out = sync()
    assert code == 3 and "--max-removal-pct 20" in out, out
    assert sync.platform.sent() == []
    assert sync("--allow-mass-removal")[0] == 0
    assert_platform_equals_mart(sync)
    with duckdb.connect(str(sync.db)) as con:
        con.execute("create or replace table contact_segments as select * from contact_segments limit 0")
    code, out = sync()
    assert code == 3 and "is empty" in out, out
    refusals = [e for e in sync.log() if e.get("outcome", "").startswith("failed:")]
    assert len(refusals) == 3, "each refusal is logged"


@pytest.mark.parametrize("platform", ["mailchimp", "klaviyo", "braze"], indirect=True)
def test_contacts_added_by_hand_are_never_removed(sync: Sync) -> None:
    hand = "by.hand@example.org"
    if isinstance(sync.platform, Mailchimp):
        sync.platform.members[hand] = {"status": "subscribed", "merge_fields": {}, "tags": {"engaged", "vip"}}
    elif isinstance(sync.platform, Klaviyo):
        sync.platform.profiles["PHAND"] = {"email": hand, "external_id": "hand-1", "properties": {}}
        sync.platform.lists["L99999"] = {"name": "engaged", "members": {"PHAND"}}
    elif isinstance(sync.platform, Braze):
        sync.platform.users["hand-1"] = {"email": hand, "seg_engaged": True}
    assert sync()[0] == 0
    a_day_later(sync.db)
    assert sync("--allow-mass-removal")[0] == 0
    assert sync.log()[-1]["removed"] > 0
    held = audience(sync.platform, mart(sync.db))
    assert held["hand-1" if not isinstance(sync.platform, Mailchimp) else hand]["segments"] >= {"engaged"}


@pytest.mark.parametrize("platform", ["mailchimp"], indirect=True)
def test_mailchimp_unsubscribes_removed_contacts_when_asked(sync: Sync) -> None:
    assert sync()[0] == 0
    before = mart(sync.db)
    a_day_later(sync.db)
    gone = {before[cid]["email"].lower() for cid in set(before) - set(mart(sync.db))}
    assert sync("--unsubscribe-removed")[0] == 0
    assert isinstance(sync.platform, Mailchimp)
    assert_platform_equals_mart(sync)
    assert gone and {sync.platform.members[e]["status"] for e in gone} == {"unsubscribed"}
    kept = {m["email"].lower() for m in mart(sync.db).values()}
    assert {sync.platform.members[e]["status"] for e in kept} == {"subscribed"}


@pytest.mark.parametrize("platform", ["webhook"], indirect=True)
def test_settings_errors_exit_2_and_a_second_sync_at_once_exits_3(sync: Sync, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEGMENTS_WEBHOOK_SECRET")
    code, out = sync()
    assert code == 2 and "set SEGMENTS_WEBHOOK_SECRET" in out, out
    monkeypatch.setenv("SEGMENTS_WEBHOOK_SECRET", SECRET)
    assert sync()[0] == 0
    monkeypatch.setenv("SEGMENTS_WEBHOOK_URL", f"{sync.platform.url}/elsewhere")
    code, out = sync()
    assert code == 2 and "give each destination its own --state-dir" in out, out
    monkeypatch.setenv("SEGMENTS_WEBHOOK_URL", f"{sync.platform.url}/hooks/segments")
    with (sync.state / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, out = sync()
    assert code == 3 and "under way" in out, out
    assert len(sync.platform.sent()) == math.ceil(len(mart(sync.db)) / 500), "only the one good sync sent"


def test_klaviyo_splits_an_import_job_at_its_5_mb_payload_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from contact_segmentation.sync.http import Client
    from contact_segmentation.sync.klaviyo import JOB_BYTES, JOB_LIMIT
    from contact_segmentation.sync.klaviyo import Klaviyo as Destination
    from contact_segmentation.sync.state import Change

    monkeypatch.setenv("KLAVIYO_API_KEY", SECRET)
    klaviyo = Destination(Client("klaviyo", []), ["notes"], {})
    wide = [Change("add", f"C{i:07d}", f"p{i}@example.org", "h", {"first_name": "A"}, {"notes": "x" * 1000})
            for i in range(12_000)]  # fmt: skip
    jobs = klaviyo.jobs(wide)
    sizes = [sum(len(json.dumps(klaviyo.profile(c))) + 1 for c in job) for job in jobs]
    # A profile with a 1,000-character field is about 1,140 bytes of JSON: 4,295 of them fill a job.
    assert [len(job) for job in jobs] == [4_295, 4_294, 3_411] and max(sizes) <= JOB_BYTES
    narrow = [Change("add", f"C{i:07d}", f"p{i}@example.org", "h") for i in range(12_000)]
    assert [len(job) for job in klaviyo.jobs(narrow)] == [JOB_LIMIT, 2_000]
