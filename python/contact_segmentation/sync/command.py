"""Sync segment members straight into an email platform: Mailchimp, Klaviyo, Braze or a webhook.

Reads the published mart (contact_segments, contact_features for --fields) and sends only
what changed since the last sync to that destination: new members, changed members
(their segments or fields), and members that left every chosen segment. Only sendable
contacts are sent. Settings and secrets come from environment variables (README,
"Syncing to email platforms"), never from the command line, and are never printed.

State lives in --state-dir (default sync/<destination>): sync-state.sqlite (what the
platform confirmed, the failures, the batches of a sync under way) and sync-log.jsonl,
one line per sync. Each batch is committed once the platform confirmed it, so a sync
that stopped (an outage, kill -9) is resumed by the next run from the first batch not
confirmed; the batches the platform did confirm are not sent again.

Items the platform refuses (an invalid email, a field too long) are recorded with its
reason in the sync_failures table and the log; they do not stop the batch and are tried
again only once the contact changes. Removals go only to contacts this sync sent.

Guards, as `segments export`: refused with exit code 3 when the mart is empty, older than
the last as_of synced, or when removals would exceed --max-removal-pct (default 20) of the
members synced, unless --allow-mass-removal. --dry-run prints the requests, secrets masked.

Exit codes: 0 done (refused items are in the log), 1 the sync stopped (the platform or the
network failed after the retries; the next run resumes), 2 bad arguments or settings,
3 refused by a guard or another sync of this destination under way.

Examples:
    MAILCHIMP_API_KEY=... MAILCHIMP_LIST_ID=... segments sync --destination mailchimp --all --dry-run
    segments sync --destination braze --segments engaged,vip --fields loyalty_points_balance
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from .. import guards
from ..export import PROFILE_FIELDS, choose_fields, choose_segments, plain_value, row_hash
from ..warehouse import DEFAULT_DB, PROJECT_DIR, WarehouseError, open_warehouse, segment_columns
from .base import Destination
from .braze import Braze
from .http import Client, SyncError
from .klaviyo import Klaviyo
from .mailchimp import Mailchimp
from .state import Batch, Change, Known, SyncState
from .webhook import Webhook

DESTINATIONS: dict[str, type[Destination]] = {"mailchimp": Mailchimp, "klaviyo": Klaviyo, "braze": Braze,
                                              "webhook": Webhook}  # fmt: skip
REFUSED = 3


@dataclass
class Member:
    """A contact as the mart has it now, in the shape every destination sends."""

    email: str
    profile: dict[str, Any]
    fields: dict[str, Any]
    segments: list[str]

    def row_hash(self) -> str:
        return row_hash({"email": self.email, **self.profile, **self.fields, "segments": self.segments})


def read_members(con: duckdb.DuckDBPyConnection, segments: list[str], fields: list[str]) -> dict[str, Member]:
    """Sendable contacts in at least one chosen segment, with their profile, fields and segments."""
    profile = [c for c in PROFILE_FIELDS if c not in ("contact_id", "email")]
    columns = [f"s.{c}" for c in ("contact_id", "email", *profile)] + [f"f.{c}" for c in fields]
    flags = [f"s.seg_{s}" for s in segments]
    join = " join contact_features as f on s.contact_id = f.contact_id" if fields else ""
    rows = con.execute(
        f"select {', '.join(columns + flags)} from contact_segments as s{join} "
        f"where s.is_email_sendable and ({' or '.join(flags)}) order by s.contact_id"
    ).fetchall()
    members = {}
    for row in rows:
        values = [plain_value(v) for v in row]
        cut = 2 + len(profile)
        members[values[0]] = Member(
            values[1], dict(zip(profile, values[2:cut], strict=True)),
            dict(zip(fields, values[cut : cut + len(fields)], strict=True)),
            [s for s, flag in zip(segments, values[cut + len(fields) :], strict=True) if flag],
        )  # fmt: skip
    return members


def diff(current: dict[str, Member], known: dict[str, Known], failed: dict[str, str]) -> list[Change]:
    """What changed since the platform last confirmed: adds, updates and removes, by contact_id."""
    changes = []
    for contact_id, member in current.items():
        digest, before = member.row_hash(), known.get(contact_id)
        if failed.get(contact_id) == digest or (before and before.row_hash == digest):
            continue  # unchanged, or refused by the platform as it is now
        old = set(before.segments) if before else set()
        changes.append(Change(
            "update" if before else "add", contact_id, member.email, digest, member.profile, member.fields,
            member.segments, sorted(set(member.segments) - old), sorted(old - set(member.segments)),
            before.email if before and before.email != member.email else None,
        ))  # fmt: skip
    for contact_id in sorted(set(known) - set(current)):
        before = known[contact_id]
        if failed.get(contact_id) == "":
            continue  # its removal was refused by the platform; not tried again every day
        changes.append(Change("remove", contact_id, before.email, "", removed_segments=before.segments))
    return changes


def check_guards(contacts: int, as_of: str | None, state: SyncState, changes: list[Change], known: int,
                 args: argparse.Namespace) -> None:  # fmt: skip
    refusal = guards.wipe_or_rollback(contacts, as_of, state.meta("as_of"), args.destination)
    if refusal:
        raise SyncError(refusal, REFUSED)
    if not args.allow_mass_removal:
        removed = sum(1 for c in changes if c.action == "remove")
        refusal = guards.mass_removal(f"{args.destination}: the sync", removed, known, args.max_removal_pct)
        if refusal:
            raise SyncError(refusal, REFUSED)


def run_batches(destination: Destination, state: SyncState, batches: list[tuple[Batch, bool]],
                progress: bool) -> None:  # fmt: skip
    ids = state.platform_ids()
    for number, (batch, done) in enumerate(batches, start=1):
        if done:
            continue
        what = f"batch {number} of {len(batches)} ({batch.kind})"
        failures, new_ids = destination.send(batch, ids, what)
        ids.update(new_ids)
        state.commit_batch(batch, failures, new_ids)
        if progress:
            print(f"{destination.name}: {what} sent", file=sys.stderr)


def changes_of(batches: list[tuple[Batch, bool]]) -> list[Change]:
    """The changes of a plan, once each, from its batches."""
    seen: dict[str, Change] = {}
    for batch, _ in batches:
        for change in batch.changes:
            seen.setdefault(change.contact_id, change)
    return list(seen.values())


def sync(args: argparse.Namespace, con: duckdb.DuckDBPyConnection, state: SyncState) -> dict[str, Any]:
    """Resume a sync under way, then send what changed; returns the log record."""
    segments = choose_segments(args.segments, args.all, [c[4:] for c in segment_columns(con)])
    fields = choose_fields(con, args.fields)
    numeric = {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = 'contact_features' and "
        "(data_type like 'DECIMAL%' or data_type in ('INTEGER', 'BIGINT', 'DOUBLE', 'HUGEINT', 'FLOAT'))"
    ).fetchall()}  # fmt: skip
    as_of_row = con.execute("select max(as_of_date)::varchar, count(*) from contact_segments").fetchone()
    as_of, contacts = (as_of_row[0], as_of_row[1]) if as_of_row else (None, 0)
    client = Client(args.destination, [], args.timeout, args.max_attempts, args.backoff, args.dry_run)
    options = {"unsubscribe_removed": args.unsubscribe_removed, "numeric_fields": numeric, "as_of": as_of}
    destination = DESTINATIONS[args.destination](client, fields, options)
    settings = destination.target()
    if state.meta("settings") not in (None, settings):
        raise SyncError(f"{args.state_dir} holds the sync state of {state.meta('settings')}, not {settings}: "
                        "give each destination its own --state-dir", 2)  # fmt: skip
    record: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "destination": args.destination,
                              "as_of": as_of, "segments": segments, "fields": fields}  # fmt: skip
    pending = state.pending()
    if not args.dry_run:
        destination.prepare(segments)
    if pending and not args.dry_run:
        run_batches(destination, state, pending, args.progress)
        record["resumed_batches"] = sum(1 for _, done in pending if not done)
        state.finish(changes_of(pending), state.meta("pending_as_of") or None)
    known = state.members()
    changes = diff(read_members(con, segments, fields), known, state.failed_hashes())
    check_guards(contacts, as_of, state, changes, len(known), args)
    planned = [Batch(seq, kind, chunk) for seq, (kind, chunk) in enumerate(destination.batches(changes), 1)]
    counts = {a: sum(1 for c in changes if c.action == a) for a in ("add", "update", "remove")}
    record.update({"added": counts["add"], "updated": counts["update"], "removed": counts["remove"],
                   "batches": len(planned)})  # fmt: skip
    if args.dry_run:
        if pending:
            print(f"{args.destination}: a sync stopped with {sum(1 for _, d in pending if not d)} batches "
                  "unconfirmed; the next real run sends them first")  # fmt: skip
        for number, batch in enumerate(planned, start=1):
            destination.send(batch, {}, f"batch {number} of {len(planned)} ({batch.kind})")
        record["requests"] = client.printed
        return record
    state.start(planned, as_of, settings)
    run_batches(destination, state, state.pending(), args.progress)
    failures = state.finish(changes, as_of)
    record.update(
        {
            "requests": client.requests_sent,
            "retries": client.retries,
            "outcome": "sent",
            "failed": [{"contact_id": k, "kind": v[0], "reason": v[1]} for k, v in sorted(failures.items())],
        }
    )
    return record


def append_log(state_dir: Path, record: dict[str, Any]) -> None:
    handle = os.open(state_dir / "sync-log.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(handle, "a") as log:
        log.write(json.dumps(record, default=str) + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="segments sync", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--destination", required=True, choices=list(DESTINATIONS))
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--segments", help="comma-separated segment names (without seg_)")
    chosen.add_argument("--all", action="store_true", help="every segment of the mart")
    parser.add_argument("--fields", metavar="A,B", help="contact_features columns to send as fields")
    parser.add_argument("--state-dir", type=Path, help="sync state and log (default: sync/<destination>)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="published warehouse (default: %(default)s)")
    parser.add_argument("--dry-run", action="store_true", help="print the requests, secrets masked; send nothing")
    parser.add_argument("--unsubscribe-removed", action="store_true",
                        help="mailchimp: unsubscribe contacts that left every segment; not just untag")  # fmt: skip
    parser.add_argument("--max-removal-pct", type=float, default=20, metavar="PCT")
    parser.add_argument("--allow-mass-removal", action="store_true")
    parser.add_argument("--timeout", type=float, default=30, metavar="S", help="seconds a request may take")
    parser.add_argument("--max-attempts", type=int, default=6, help="attempts a request gets (default 6)")
    parser.add_argument("--backoff", type=float, default=1.0, metavar="S", help="base of the exponential backoff")
    parser.add_argument("--progress", action="store_true", help="a line on stderr per batch sent")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    args.state_dir = args.state_dir or PROJECT_DIR / "sync" / args.destination
    return args


def locked_run(args: argparse.Namespace) -> dict[str, Any]:
    """One sync under the state folder's lock: a second sync of the destination is refused, not run twice."""
    state_file = args.state_dir / "sync-state.sqlite"
    first_dry_run = args.dry_run and not state_file.exists()  # leaves no trace
    with contextlib.ExitStack() as stack:
        if not first_dry_run:
            args.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            lock = stack.enter_context((args.state_dir / ".lock").open("w"))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SyncError(f"another sync to {args.state_dir} is under way", REFUSED) from None
        con = stack.enter_context(open_warehouse(args.db, ["contact_segments"]))
        state = SyncState(None if first_dry_run else state_file)
        stack.callback(state.close)
        try:
            return sync(args, con, state)
        except WarehouseError as error:
            if not args.dry_run:
                at = datetime.now(UTC).isoformat(timespec="seconds")
                append_log(args.state_dir, {"at": at, "destination": args.destination,
                                            "outcome": f"failed: {error.args[0]}"})  # fmt: skip
            raise


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        record = locked_run(args)
    except WarehouseError as error:
        print(f"segments sync: {error.args[0]}", file=sys.stderr)
        return int(error.args[1]) if len(error.args) > 1 else 1
    if args.dry_run:
        print(f"{args.destination}: would add {record['added']}, update {record['updated']}, remove "
              f"{record['removed']} in {record['batches']} batches (dry run, nothing sent):")  # fmt: skip
        print("\n".join(record["requests"]))
        return 0
    append_log(args.state_dir, record)
    if not args.quiet:
        print(f"{args.destination}: added {record['added']}, updated {record['updated']}, removed "
              f"{record['removed']} in {record['requests']} requests ({record['retries']} retries); "
              f"{len(record['failed'])} refused by the platform (see {args.state_dir / 'sync-log.jsonl'})")  # fmt: skip
    return 0
