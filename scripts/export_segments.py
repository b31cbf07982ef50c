#!/usr/bin/env python3
"""Export segment members for email platforms (reverse ETL), with sync state per destination.

Reads the `contact_segments` mart and writes the members of the chosen segments in a
shape email platforms import (Klaviyo, Mailchimp and the like): contact_id, email,
first_name, country, timezone, language, plus either one boolean column per segment
(--layout flags, one file) or one file per segment (--layout lists). --with-sha256 adds
email_sha256 for ad-platform audiences.

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

Exit codes: 0 done, 1 the export failed (missing or locked warehouse, unwritable
destination), 2 bad arguments (unknown segment, format, ...).

Examples:
    python scripts/export_segments.py --segments engaged,cart_abandoners --out exports/klaviyo
    python scripts/export_segments.py --all --layout lists --format jsonl --mode mirror --out exports/mailchimp
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from warehouse import DEFAULT_DB, WarehouseError, open_warehouse, segment_columns, write_atomically

PROFILE_FIELDS = ("contact_id", "email", "first_name", "country", "timezone", "language")
STATE_FILE = ".sync-state.json"
STATE_VERSION = 1


class ExportError(WarehouseError):
    """A failure the user can act on; printed without a traceback. args: (message, exit code)."""


@dataclass(frozen=True)
class OutputFile:
    """One file of the destination: its name and the segments whose members it holds."""

    key: str
    segments: tuple[str, ...]


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


def current_rows(con: duckdb.DuckDBPyConnection, output: OutputFile, with_sha256: bool, flags: bool) -> list[dict]:
    """Members of the file's segments: sendable contacts only, ordered by contact_id."""
    fields = [*PROFILE_FIELDS, *(["email_sha256"] if with_sha256 else [])]
    flag_columns = [f"seg_{s}" for s in output.segments] if flags else []
    membership = " or ".join(f"seg_{s}" for s in output.segments)
    sql = (
        f"select {', '.join(fields + flag_columns)} from contact_segments "
        f"where is_email_sendable and ({membership}) order by contact_id"
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
                    handle.write(json.dumps({k: row.get(k) for k in columns}) + "\n")
        else:
            table = pa.table({k: [row.get(k) for row in rows] for k in columns})
            pq.write_table(table, target)

    write_atomically(path, write)


def csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


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


def export(
    con: duckdb.DuckDBPyConnection, outputs: Iterable[OutputFile], out: Path, fmt: str, mode: str, layout: str,
    with_sha256: bool,
) -> list[tuple[str, int]]:  # fmt: skip
    """Export every output file; returns (file, rows written) for each, 0 when nothing was sent."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create the destination {out}: {error.strerror or error}") from None
    if not os.access(out, os.W_OK):
        raise ExportError(f"cannot write to the destination {out}: permission denied")
    state = load_state(out)
    as_of = con.execute("select max(as_of_date) from contact_segments").fetchone()
    as_of_text = str(as_of[0]) if as_of else None
    report = []
    for output in outputs:
        rows = current_rows(con, output, with_sha256, flags=layout == "flags")
        columns = list(rows[0]) if rows else [*PROFILE_FIELDS, *(["email_sha256"] if with_sha256 else [])]
        if layout == "flags" and not rows:
            columns += [f"seg_{s}" for s in output.segments]
        known = state["files"].get(output.key, {}).get("members", {})
        members = {row["contact_id"]: [row_hash(row), row["email"]] for row in rows}
        path = out / f"{output.key}.{fmt}"
        if mode == "full":
            to_send = rows if (members != known or not path.exists()) else []
            send_columns = columns
        else:
            to_send = changes(rows, known, mode)
            send_columns = [*columns, "action"]
        if to_send or (mode == "full" and not path.exists()):
            write_rows(path, to_send, send_columns, fmt)
        # Confirmed: the file is in place. Upsert never removes, so the
        # destination still holds members who left; mirror and full do not.
        confirmed = {**known, **members} if mode == "upsert" else members
        entry = {"as_of_date": as_of_text, "mode": mode, "members": confirmed}
        if state["files"].get(output.key) != entry:
            state["files"][output.key] = entry
            write_atomically(out / STATE_FILE, lambda target: target.write_text(json.dumps(state)))
        report.append((path.name, len(to_send)))
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--segments", help="comma-separated segment names (without seg_)")
    chosen.add_argument("--all", action="store_true", help="every segment of the mart")
    parser.add_argument("--out", type=Path, required=True, help="destination folder (one per platform or list)")
    parser.add_argument("--format", dest="fmt", choices=["csv", "parquet", "jsonl"], default="csv")
    parser.add_argument("--layout", choices=["flags", "lists"], default="flags",
                        help="flags: one file, a boolean column per segment; lists: one file per segment")  # fmt: skip
    parser.add_argument("--mode", choices=["full", "upsert", "mirror"], default="full", help="sync mode")
    parser.add_argument("--with-sha256", action="store_true", help="add email_sha256 (ad-platform audiences)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="DuckDB warehouse (default: $DBT_DUCKDB_PATH or target/segments.duckdb)")  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        con = open_warehouse(args.db, ["contact_segments"])
        try:
            segments = choose_segments(args.segments, args.all, available_segments(con))
            if args.layout == "flags":
                outputs = [OutputFile("segments", tuple(segments))]
            else:
                outputs = [OutputFile(s, (s,)) for s in segments]
            report = export(con, outputs, args.out, args.fmt, args.mode, args.layout, args.with_sha256)
        finally:
            con.close()
    except WarehouseError as error:
        print(f"export_segments: {error.args[0]}", file=sys.stderr)
        return error.args[1] if len(error.args) > 1 else 1
    if not args.quiet:
        for name, rows in report:
            print(f"{name}: {rows} rows sent" if rows else f"{name}: nothing to send")
    return 0


if __name__ == "__main__":
    sys.exit(main())
