"""What a destination holds, as far as this project sent it: one SQLite file per destination.

SQLite, not a JSON file as `segments export` keeps: a sync commits after every batch the
platform confirmed, and rewriting the state of a million contacts per batch of 500 would
cost more than the sync. A SQLite transaction is atomic and survives kill -9.

Tables:
  members        contact_id -> row hash, email, segments, platform id: what the platform
                 confirmed, the only contacts a removal is ever sent for;
  sync_failures  contacts the platform refused item by item, with its reason and the row
                 hash they had: tried again only once the contact changes;
  pending        the batches of the sync under way, each marked done when confirmed;
  pending_ids    platform ids learned by done batches of the sync under way;
  meta           the last as_of synced, the destination's settings fingerprint.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
create table if not exists members (
    contact_id text primary key, row_hash text not null, email text not null,
    segments text not null, platform_id text
);
create table if not exists sync_failures (
    contact_id text primary key, row_hash text not null, email text, kind text not null,
    reason text not null, failed_at text not null
);
create table if not exists pending (seq integer primary key, kind text not null, changes text not null,
    done integer not null default 0);
create table if not exists pending_failures (contact_id text primary key, kind text not null, reason text not null);
create table if not exists pending_ids (contact_id text primary key, platform_id text not null);
create table if not exists meta (key text primary key, value text not null);
"""


@dataclass
class Change:
    """One contact's change since the last sync: add, update or remove, with the row to send."""

    action: str
    contact_id: str
    email: str
    row_hash: str
    profile: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    segments: list[str] = field(default_factory=list)
    added_segments: list[str] = field(default_factory=list)
    removed_segments: list[str] = field(default_factory=list)
    # Set when the contact's email changed: platforms keyed by email drop the old address's tags.
    old_email: str | None = None


@dataclass
class Batch:
    """One request's worth of changes of one kind (members, a tag, a list): sent, then committed."""

    seq: int
    kind: str
    changes: list[Change]


@dataclass
class Known:
    """A contact as the platform last confirmed it."""

    row_hash: str
    email: str
    segments: list[str]
    platform_id: str | None


class SyncState:
    """The destination's state file; every method that writes commits before it returns."""

    def __init__(self, path: Path | None) -> None:
        """path None: an empty state in memory (a first dry run)."""
        if path is not None and not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self.con = sqlite3.connect(path or ":memory:", isolation_level=None)
        self.con.execute("pragma journal_mode = wal")
        self.con.executescript(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def meta(self, key: str) -> str | None:
        row = self.con.execute("select value from meta where key = ?", (key,)).fetchone()
        return row[0] if row else None

    def members(self) -> dict[str, Known]:
        rows = self.con.execute("select contact_id, row_hash, email, segments, platform_id from members")
        return {r[0]: Known(r[1], r[2], json.loads(r[3]), r[4]) for r in rows}

    def failed_hashes(self) -> dict[str, str]:
        return dict(self.con.execute("select contact_id, row_hash from sync_failures").fetchall())

    def platform_ids(self) -> dict[str, str]:
        """Ids the platform gave: confirmed members', then those learned by the sync under way."""
        ids = dict(self.con.execute("select contact_id, platform_id from members where platform_id is not null"))
        ids.update(self.con.execute("select contact_id, platform_id from pending_ids").fetchall())
        return ids

    def pending(self) -> list[tuple[Batch, bool]]:
        rows = self.con.execute("select seq, kind, changes, done from pending order by seq").fetchall()
        return [(Batch(r[0], r[1], [Change(**c) for c in json.loads(r[2])]), bool(r[3])) for r in rows]

    def start(self, batches: Iterable[Batch], as_of: str | None, settings: str) -> None:
        with self.con:
            self.con.execute("begin immediate")
            self.con.execute("delete from pending")
            self.con.executemany(
                "insert into pending (seq, kind, changes) values (?, ?, ?)",
                [(b.seq, b.kind, json.dumps([asdict(c) for c in b.changes], default=str)) for b in batches],
            )
            self.con.execute("insert or replace into meta values ('pending_as_of', ?)", (as_of or "",))
            self.con.execute("insert or replace into meta values ('settings', ?)", (settings,))

    def commit_batch(self, batch: Batch, failures: dict[str, str], ids: dict[str, str]) -> None:
        """The platform confirmed the batch: mark it done with its item failures and ids, in one transaction."""
        with self.con:
            self.con.execute("begin immediate")
            self.con.execute("update pending set done = 1 where seq = ?", (batch.seq,))
            self.con.executemany(
                "insert or ignore into pending_failures values (?, ?, ?)",
                [(cid, batch.kind, reason) for cid, reason in failures.items()],
            )
            self.con.executemany("insert or replace into pending_ids values (?, ?)", ids.items())

    def pending_failures(self) -> dict[str, tuple[str, str]]:
        rows = self.con.execute("select contact_id, kind, reason from pending_failures").fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def finish(self, changes: list[Change], as_of: str | None) -> dict[str, tuple[str, str]]:
        """Every batch is done: the changes become the confirmed members, but for the contacts the
        platform refused, which keep their last confirmed row and are recorded in sync_failures."""
        failures = self.pending_failures()
        ids = dict(self.con.execute("select contact_id, platform_id from pending_ids").fetchall())
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.con:
            self.con.execute("begin immediate")
            for change in changes:
                cid = change.contact_id
                if cid in failures:
                    kind, reason = failures[cid]
                    self.con.execute(
                        "insert or replace into sync_failures values (?, ?, ?, ?, ?, ?)",
                        (cid, change.row_hash, change.email, kind, reason, now),
                    )
                    continue
                self.con.execute("delete from sync_failures where contact_id = ?", (cid,))
                if change.action == "remove":
                    self.con.execute("delete from members where contact_id = ?", (cid,))
                    continue
                self.con.execute(
                    "insert into members values (?, ?, ?, ?, ?) on conflict (contact_id) do update set "
                    "row_hash = excluded.row_hash, email = excluded.email, segments = excluded.segments, "
                    "platform_id = coalesce(excluded.platform_id, members.platform_id)",
                    (cid, change.row_hash, change.email, json.dumps(change.segments), ids.get(cid)),
                )
            self.con.execute("delete from pending")
            self.con.execute("delete from pending_failures")
            self.con.execute("delete from pending_ids")
            if as_of:
                self.con.execute("insert or replace into meta values ('as_of', ?)", (as_of,))
            self.con.execute("delete from meta where key = 'pending_as_of'")
        return failures
