"""Export segment members for email platforms (reverse ETL), with sync state per destination.

Reads the `contact_segments` mart and writes the members of the chosen segments in a
shape email platforms import (Klaviyo, Mailchimp and the like): contact_id, email,
first_name, country, timezone, language, plus either one boolean column per segment
(--layout flags, one file) or one file per segment (--layout lists). --with-sha256 adds
email_sha256 for ad-platform audiences. A segment with A/B splits adds its
seg_<name>_split column: each member's group. --fields sends traits too: any columns of
contact_features (loyalty_points_balance, last_touch_channel, ...) or computed traits of
contact_traits (docs/traits.md), as reverse-ETL tools
map fields onto a platform's properties; a change of a sent field is an update.

Only sendable contacts are exported, whatever the segment: segments that are email
audiences hold only sendable contacts already, and an analysis segment sent to an
email platform must not smuggle unsendable ones in.

Sync modes, per output file, against the state of the destination folder
(<out>/.sync-state.json, written after each file is in place):
  full    every current member (`action` column absent);
  upsert  members added or changed since the last successful export (action add|update);
  mirror  as upsert, plus members that left (action remove, with their contact_id and email).
Files are written to a temporary name and renamed, so a destination never holds half
a file. A file with nothing to send is not written. Re-running after a success changes
nothing; after a failure, the next run resends everything that was not confirmed.

It reads the published warehouse (target/published/segments.duckdb, see `segments build`),
which no build locks, so a sync can run at any hour.

Guards: a sync refuses, with one line and exit code 3, leaving the destination untouched,
when the mart is empty (an upstream load failed), when its as_of is older than the last
one synced to this destination, or (mirror) when the removals would exceed
--max-removal-pct (default 20) of a file's current members, unless --allow-mass-removal.
--dry-run prints, per file, how many members would be added, updated and removed, and
writes nothing. Every real sync appends one JSON line to <out>/sync-log.jsonl. Exported
files, the state and the log are readable by their owner only (they hold emails).

Exit codes: 0 done, 1 the export failed (missing warehouse, unwritable destination),
2 bad arguments (unknown segment, format, ...), 3 refused by a guard.

Examples:
    segments export --segments engaged,cart_abandoners --out exports/klaviyo
    segments export --all --layout lists --format jsonl --mode mirror --out exports/mailchimp
    segments export --segments loyalty_points_to_spend --mode upsert --out exports/klaviyo \
        --fields loyalty_points_balance,last_loyalty_activity_at,top_viewed_category_30d
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from . import guards
from .warehouse import DEFAULT_DB, WarehouseError, open_warehouse, segment_columns, split_columns, write_atomically

PROFILE_FIELDS = ("contact_id", "email", "first_name", "country", "timezone", "language")
STATE_FILE = ".sync-state.json"
LOG_FILE = "sync-log.jsonl"
REFUSED = 3
STATE_VERSION = 1


class ExportError(WarehouseError):
    """A failure the user can act on; printed without a traceback. args: (message, exit code)."""


@dataclass(frozen=True)
class OutputFile:
    """One file of the destination: its name and the segments whose members it holds."""

    key: str
    segments: tuple[str, ...]


@dataclass
class FilePlan:
    """What one file of a sync would send: its rows, the confirmed members after it, and the counts."""

    output: OutputFile
    path: Path
    rows_to_send: list[dict[str, Any]]
    columns: list[str]
    write: bool
    entry: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    known_members: int = 0


def available_segments(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [column[4:] for column in segment_columns(con)]


def choose_segments(requested: str | None, everything: bool, available: list[str]) -> list[str]:
    if everything:
        return available
    names = [n.strip() for n in (requested or "").split(",") if n.strip()]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ExportError(f"unknown segment(s): {', '.join(unknown)}; the mart has: {', '.join(available)}", 2)
    if not names:
        raise ExportError("no segment chosen: give --segments a,b or --all", 2)
    return list(dict.fromkeys(names))


FIELD_TABLES = {"contact_features": "features", "contact_traits": "traits"}


def field_sources(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each column --fields may name, with the alias of its table: contact_features, then the traits of
    contact_traits (docs/traits.md)."""
    tables = ", ".join(f"'{table}'" for table in FIELD_TABLES)
    rows = con.execute(
        "select table_name, column_name from information_schema.columns"
        f" where table_name in ({tables}) order by table_name, ordinal_position"
    ).fetchall()
    sources: dict[str, str] = {}
    for table, column in rows:
        sources.setdefault(column, FIELD_TABLES[table])
    return sources


def choose_fields(con: duckdb.DuckDBPyConnection, requested: str | None) -> list[str]:
    """The columns of contact_features or traits of contact_traits named by --fields, in the order given,
    checked against the models' columns."""
    names = [n.strip() for n in (requested or "").split(",") if n.strip()]
    if not names:
        return []
    available = list(field_sources(con))
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ExportError(f"unknown field(s): {', '.join(unknown)}; --fields takes columns of contact_features "
                          f"and traits of contact_traits: {', '.join(available)}", 2)  # fmt: skip
    return [n for n in dict.fromkeys(names) if n not in PROFILE_FIELDS]


def base_columns(with_sha256: bool, fields: list[str]) -> list[str]:
    return [*PROFILE_FIELDS, *(["email_sha256"] if with_sha256 else []), *fields]


def current_rows(con: duckdb.DuckDBPyConnection, output: OutputFile, with_sha256: bool, flags: bool,
                 fields: list[str]) -> list[dict]:  # fmt: skip
    """Members of the file's segments with their fields (and the A/B group of a segment with splits):
    sendable contacts only, ordered by contact_id."""
    sources = field_sources(con) if fields else {}
    columns = [f"segments.{c}" for c in base_columns(with_sha256, [])] + [f"{sources[f]}.{f}" for f in fields]
    flag_columns = [f"segments.seg_{s}" for s in output.segments] if flags else []
    flag_columns += [f"segments.{c}" for c in split_columns(con, output.segments)]
    membership = " or ".join(f"segments.seg_{s}" for s in output.segments)
    features = "".join(
        f" left join {table} as {alias} on segments.contact_id = {alias}.contact_id"
        for table, alias in FIELD_TABLES.items()
        if alias in sources.values()
    )
    sql = (
        f"select {', '.join(columns + flag_columns)} from contact_segments as segments{features} "
        f"where segments.is_email_sendable and ({membership}) order by segments.contact_id"
    )
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def row_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[:32]


def load_state(out: Path) -> dict[str, Any]:
    path = out / STATE_FILE
    if not path.exists():
        return {"version": STATE_VERSION, "files": {}}
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        message = f"cannot read the sync state {path}: {error}; delete it to start over with a full sync"
        raise ExportError(message) from None
    if state.get("version") != STATE_VERSION:
        raise ExportError(f"sync state {path} has version {state.get('version')}, expected {STATE_VERSION}")
    return state


def write_rows(path: Path, rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    def write(target: Path) -> None:
        if fmt == "csv":
            with target.open("w", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: csv_value(row.get(k)) for k in columns})
        elif fmt == "jsonl":
            with target.open("w") as handle:
                for row in rows:
                    handle.write(json.dumps({k: plain_value(row.get(k)) for k in columns}) + "\n")
        else:
            table = pa.table({k: [row.get(k) for row in rows] for k in columns})
            pq.write_table(table, target)

    write_atomically(path, write, private=True)


def plain_value(value: Any) -> Any:
    """A field's value as JSON has it: decimals as numbers, times as ISO text, lists as lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):  # datetimes too
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    return value


def csv_value(value: Any) -> Any:
    """A value as CSV text: booleans as true/false, lists as JSON arrays, nulls empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(plain_value(value))
    return "" if value is None else plain_value(value)


def changes(rows: list[dict[str, Any]], known: dict[str, list[str]], mode: str) -> list[dict[str, Any]]:
    """The rows to send for upsert or mirror, each with its action."""
    out = []
    current = set()
    for row in rows:
        current.add(row["contact_id"])
        before = known.get(row["contact_id"])
        if before is None:
            out.append({**row, "action": "add"})
        elif before[0] != row_hash(row):
            out.append({**row, "action": "update"})
    if mode == "mirror":
        for contact_id in sorted(set(known) - current):
            out.append({"contact_id": contact_id, "email": known[contact_id][1], "action": "remove"})
    return out


def plan_file(
    con: duckdb.DuckDBPyConnection, output: OutputFile, state: dict[str, Any], out: Path, fmt: str, mode: str,
    layout: str, with_sha256: bool, as_of: str | None, fields: list[str],
) -> FilePlan:  # fmt: skip
    """What a sync of one file would send, computed against the destination's confirmed members."""
    rows = current_rows(con, output, with_sha256, layout == "flags", fields)
    columns = list(rows[0]) if rows else base_columns(with_sha256, fields)
    if layout == "flags" and not rows:
        columns += [f"seg_{s}" for s in output.segments]
    known = state["files"].get(output.key, {}).get("members", {})
    members = {row["contact_id"]: [row_hash(row), row["email"]] for row in rows}
    path = out / f"{output.key}.{fmt}"
    delta = changes(rows, known, "mirror")
    counts = {action: sum(1 for r in delta if r["action"] == action) for action in ("add", "update", "remove")}
    if mode == "full":
        to_send = rows if (members != known or not path.exists()) else []
        send_columns = columns
    else:
        to_send = [r for r in delta if mode == "mirror" or r["action"] != "remove"]
        send_columns = [*columns, "action"]
        if mode == "upsert":
            counts["remove"] = 0
    # Confirmed once the file is in place. Upsert never removes, so the
    # destination still holds members who left; mirror and full do not.
    confirmed = {**known, **members} if mode == "upsert" else members
    return FilePlan(
        output, path, to_send, send_columns, bool(to_send) or (mode == "full" and not path.exists()),
        {"as_of_date": as_of, "mode": mode, "members": confirmed}, counts, len(known),
    )  # fmt: skip


def check_guards(
    plans: list[FilePlan], state: dict[str, Any], as_of: str | None, contacts: int, out: Path, mode: str,
    max_removal_pct: float, allow_mass_removal: bool,
) -> None:  # fmt: skip
    """Refuse (ExportError with exit code 3) a sync that would likely wipe or roll back an audience."""
    synced = [e.get("as_of_date") for e in state["files"].values() if e.get("as_of_date")]
    refusal = guards.wipe_or_rollback(contacts, as_of, max(synced) if synced else None, str(out))
    if refusal:
        raise ExportError(refusal, REFUSED)
    if mode != "mirror" or allow_mass_removal:
        return
    for plan in plans:
        refusal = guards.mass_removal(plan.path.name, plan.counts["remove"], plan.known_members, max_removal_pct)
        if refusal:
            raise ExportError(refusal, REFUSED)


def append_log(out: Path, record: dict[str, Any]) -> None:
    """One JSON line per real sync, in a log readable by its owner only."""
    handle = os.open(out / LOG_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(handle, "a") as log:
        log.write(json.dumps(record, default=str) + "\n")


def export(
    con: duckdb.DuckDBPyConnection, outputs: Iterable[OutputFile], out: Path, fmt: str, mode: str, layout: str,
    with_sha256: bool, dry_run: bool = False, max_removal_pct: float = 20, allow_mass_removal: bool = False,
    fields: list[str] | None = None,
) -> list[FilePlan]:  # fmt: skip
    """Plan every file, check the guards, then (unless dry_run) write them; returns the plans."""
    state = load_state(out)
    as_of_row = con.execute("select max(as_of_date), count(*) from contact_segments").fetchone()
    as_of = str(as_of_row[0]) if as_of_row and as_of_row[0] is not None else None
    contacts = as_of_row[1] if as_of_row else 0
    plans = [plan_file(con, o, state, out, fmt, mode, layout, with_sha256, as_of, fields or []) for o in outputs]
    check_guards(plans, state, as_of, contacts, out, mode, max_removal_pct, allow_mass_removal)
    if dry_run:
        return plans
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create the destination {out}: {error.strerror or error}") from None
    if not os.access(out, os.W_OK):
        raise ExportError(f"cannot write to the destination {out}: permission denied")
    record: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "as_of": as_of, "mode": mode,
                              "files": [], "outcome": "sent"}  # fmt: skip
    try:
        for plan in plans:
            if plan.write:
                write_rows(plan.path, plan.rows_to_send, plan.columns, fmt)
            if state["files"].get(plan.output.key) != plan.entry:
                state["files"][plan.output.key] = plan.entry
                write_atomically(out / STATE_FILE, lambda t: t.write_text(json.dumps(state)), private=True)
            record["files"].append({
                "file": plan.path.name, "segments": list(plan.output.segments), "added": plan.counts["add"],
                "updated": plan.counts["update"], "removed": plan.counts["remove"],
                "rows_sent": len(plan.rows_to_send) if plan.write else 0,
            })  # fmt: skip
    except WarehouseError as error:
        record["outcome"] = f"failed: {error.args[0]}"
        with contextlib.suppress(OSError):
            append_log(out, record)
        raise
    append_log(out, record)
    return plans


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="segments export", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--segments", help="comma-separated segment names (without seg_)")
    chosen.add_argument("--all", action="store_true", help="every segment of the mart")
    parser.add_argument("--out", type=Path, required=True, help="destination folder (one per platform or list)")
    parser.add_argument("--format", dest="fmt", choices=["csv", "parquet", "jsonl"], default="csv")
    parser.add_argument("--layout", choices=["flags", "lists"], default="flags",
                        help="flags: one file, a boolean column per segment; lists: one file per segment")  # fmt: skip
    parser.add_argument("--mode", choices=["full", "upsert", "mirror"], default="full", help="sync mode")
    parser.add_argument("--with-sha256", action="store_true", help="add email_sha256 (ad-platform audiences)")
    parser.add_argument("--fields", metavar="A,B",
                        help="columns of contact_features or traits of contact_traits to send")  # fmt: skip
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="published warehouse (default: %(default)s)")  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="print what would be sent per file; write nothing")
    parser.add_argument("--max-removal-pct", type=float, default=20, metavar="PCT",
                        help="mirror: refuse to remove more than PCT %% of a file's members (default 20)")  # fmt: skip
    parser.add_argument("--allow-mass-removal", action="store_true", help="mirror: send however many removals")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        con = open_warehouse(args.db, ["contact_segments"])
        try:
            segments = choose_segments(args.segments, args.all, available_segments(con))
            fields = choose_fields(con, args.fields)
            if args.layout == "flags":
                outputs = [OutputFile("segments", tuple(segments))]
            else:
                outputs = [OutputFile(s, (s,)) for s in segments]
            plans = export(con, outputs, args.out, args.fmt, args.mode, args.layout, args.with_sha256,
                           args.dry_run, args.max_removal_pct, args.allow_mass_removal, fields)  # fmt: skip
        finally:
            con.close()
    except WarehouseError as error:
        print(f"export_segments: {error.args[0]}", file=sys.stderr)
        return error.args[1] if len(error.args) > 1 else 1
    if args.dry_run:
        for plan in plans:
            c, rows = plan.counts, len(plan.rows_to_send) if plan.write else 0
            print(f"{plan.path.name}: would add {c['add']}, update {c['update']}, remove {c['remove']}"
                  f" ({rows} rows to send; dry run, nothing written)")  # fmt: skip
    elif not args.quiet:
        for plan in plans:
            rows = len(plan.rows_to_send) if plan.write else 0
            print(f"{plan.path.name}: {rows} rows sent" if rows else f"{plan.path.name}: nothing to send")
    return 0


if __name__ == "__main__":
    sys.exit(main())
