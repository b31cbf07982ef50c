"""Try a draft segment on the published warehouse, without a build.

The draft is compiled by the mart's own segment compiler (the dbt macro segment_preview,
which calls segment_plan and segment_rule_sql through `dbt run-operation`), so it means
exactly what it would mean in the segment file, and a mistake gets the message `dbt build`
would give. The compiled SQL then runs on the published warehouse (read-only, as of its
as_of): it prints the members, their share of the contacts, how many are email-sendable,
how many contacts pass each condition alone and how many are left after each condition of
an `all` in order (the funnel segment_funnels has), and ten sample members with each condition of
the rule and whether it held.

The draft may reference the file's segments ({segment: vip}). Event conditions count the
events of the build's warehouse (the published one has no events): they read it only while
no build runs, holding the build lock, and say so when a build holds it.

A draft is given as:
  --rule '<YAML or JSON>'   a rule, or a whole segment entry (name, email_audience, rule);
  --file F --name N         the segment N of a draft file (a `segments:` list, as in the
                            segment file);
  --name N                  a segment of the project's segment file, as it is now.

Exit codes: 0 previewed, 1 the draft does not compile or the warehouse cannot be read,
2 bad arguments, 3 a build is running (event conditions only).

Examples:
    segments preview --rule '{column: lead_score, op: ">=", value: 50}'
    segments preview --rule '{all: [{segment: vip}, {event: email_click, within_days: 30}]}'
    segments preview --file drafts.yml --name spring_sale --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import yaml

from .build import BuildBusy, build_lock
from .publish import published_as_of
from .warehouse import BUILD_DB, PROJECT_DIR, PUBLISHED_DB, WarehouseError, dbt_executable, open_warehouse

SEGMENT_FILE = PROJECT_DIR / "models" / "marts" / "segments" / "_segments__models.yml"
ENTRY_KEYS = ("name", "owner", "email_audience", "priority", "holdout_pct", "splits", "lift_goal", "rule")
MARKER = "segment_preview: "
SAMPLE_SIZE = 10


class DraftError(Exception):
    """The draft does not compile; args[0] is dbt's message."""


def load_yaml(text: str, what: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise argparse.ArgumentTypeError(f"{what} is not YAML or JSON: {error}") from None


def segments_of(path: Path) -> list[dict[str, Any]]:
    """The segment entries of a draft file, or of the project's segment file (its contact_segments meta)."""
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no draft file {path}")
    content = load_yaml(path.read_text(), str(path))
    if path.resolve() == SEGMENT_FILE.resolve():
        model = next(m for m in content["models"] if m["name"] == "contact_segments")
        content = model["config"]["meta"]
    entries = content.get("segments") if isinstance(content, dict) else content
    if not isinstance(entries, list):
        raise argparse.ArgumentTypeError(f"{path} has no `segments:` list")
    return [e for e in entries if isinstance(e, dict)]


def draft_entry(args: argparse.Namespace) -> dict[str, Any]:
    """The draft as a segment entry {name, email_audience, rule} from --rule, or --name (and --file)."""
    if args.rule is not None:
        value = load_yaml(args.rule, "--rule")
        if not isinstance(value, dict):
            raise argparse.ArgumentTypeError("--rule must be a mapping: a rule, or a segment entry with a rule")
        entry = value if "rule" in value else {"rule": value}
        entry.setdefault("name", args.name or "draft")
    else:
        entries = segments_of(args.file or SEGMENT_FILE)
        found = [e for e in entries if e.get("name") == args.name]
        if not found:
            names = ", ".join(str(e.get("name")) for e in entries)
            raise argparse.ArgumentTypeError(f"no segment {args.name!r} in {args.file or SEGMENT_FILE} ({names})")
        entry = dict(found[0])
    unknown = [key for key in entry if key not in ENTRY_KEYS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown key {unknown[0]!r}; a segment takes {', '.join(ENTRY_KEYS)}")
    if args.email_audience is not None:
        entry["email_audience"] = args.email_audience
    return entry


def compile_draft(entry: dict[str, Any], as_of: str, extra_vars: dict[str, Any], target_path: Path) -> dict[str, Any]:
    """Compile the draft with dbt run-operation segment_preview: {sql, leaves, reads_events}."""
    macro_args = {"rule": entry["rule"], "segment_name": entry["name"],
                  "email_audience": entry.get("email_audience", True), "events_relation": "preview_events"}  # fmt: skip
    command = [dbt_executable(), "run-operation", "segment_preview", "--quiet",
               "--project-dir", str(PROJECT_DIR), "--target-path", str(target_path),
               "--vars", json.dumps({**extra_vars, "as_of": as_of}), "--args", json.dumps(macro_args)]  # fmt: skip
    # The compiler reads no table: dbt gets an in-memory DuckDB, so it never holds a warehouse file.
    profiles = os.environ.get("DBT_PROFILES_DIR", str(PROJECT_DIR))
    env = {**os.environ, "DBT_DUCKDB_PATH": ":memory:", "DBT_PROFILES_DIR": profiles}
    done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])  # type: ignore[no-any-return]
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    message = re.search(r"segment '[^\n]*", output)
    raise DraftError(message.group(0) if message else output.strip() or f"dbt exited with {done.returncode}")


def evaluate(con: duckdb.DuckDBPyConnection, compiled: dict[str, Any]) -> dict[str, Any]:
    """Counts and a stable sample of members (ordered by a hash of contact_id) of the compiled draft."""
    con.execute(f"create or replace temp table preview as {compiled['sql']}")
    contacts, rule_met, members, sendable = con.execute(
        "select count(*), count(*) filter (where is_rule_met), count(*) filter (where is_member), "
        "count(*) filter (where is_member and is_email_sendable) from preview"
    ).fetchone()  # type: ignore[misc]
    leaves = compiled["leaves"]
    columns = ", ".join(f"leaf_{i}" for i in range(len(leaves)))
    rows = con.execute(
        f"select contact_id{', ' + columns if columns else ''} from preview where is_member "
        f"order by hash(contact_id), contact_id limit {SAMPLE_SIZE}"
    ).fetchall()
    sample = [{"contact_id": row[0], "conditions": [{**leaf, "held": bool(held)} for leaf, held in zip(leaves, row[1:],
                                                                                                    strict=True)]}
              for row in rows]  # fmt: skip
    return {"contacts": contacts, "rule_met": rule_met, "members": members, "email_sendable_members": sendable,
            **sizes(con, compiled), "sample": sample}  # fmt: skip


def sizes(con: duckdb.DuckDBPyConnection, compiled: dict[str, Any]) -> dict[str, Any]:
    """Contacts passing each leaf alone, and the contacts left after each step of the rule's funnel: each
    condition of an `all` in order (or the rule), then, for an email audience, its membership."""
    leaves, steps = compiled["leaves"], compiled.get("steps", [])
    alone = [f"count(*) filter (where leaf_{i})" for i in range(len(leaves))]
    after = [f"count(*) filter (where {' and '.join(f'step_{j}' for j in range(i + 1))})" for i in range(len(steps))]
    counts = con.execute(f"select {', '.join(['0', *alone, *after])} from preview").fetchone() or ()
    return {
        "leaf_sizes": [{**leaf, "contacts": n} for leaf, n in zip(leaves, counts[1 : 1 + len(leaves)], strict=True)],
        "funnel": [{**step, "contacts_after": n} for step, n in zip(steps, counts[1 + len(leaves) :], strict=True)],
    }


def preview(entry: dict[str, Any], published: Path, build_db: Path, extra_vars: dict[str, Any],
            target_path: Path) -> dict[str, Any]:  # fmt: skip
    as_of = published_as_of(published)
    if as_of is None:
        raise WarehouseError(f"nothing is published at {published}: build first (`make demo` or `segments build`)")
    compiled = compile_draft(entry, as_of, extra_vars, target_path)
    con = open_warehouse(published, ("contact_features",))
    result: dict[str, Any] = {"segment": entry["name"], "email_audience": entry.get("email_audience", True),
                              "as_of_date": as_of, "published": str(published), "events_from": None}  # fmt: skip
    try:
        if not compiled["reads_events"]:
            con.execute("create temp view preview_events as select null as contact_id where false")
            return {**result, **evaluate(con, compiled)}
        if not build_db.exists():
            raise WarehouseError(f"event conditions read the build's warehouse, and there is none at {build_db}")
        with build_lock(build_db, 0, "segment preview"):
            con.execute(f"attach '{build_db}' as build (read_only)")
            built = con.execute("select max(as_of_date)::varchar from build.contact_features").fetchone()
            con.execute("create temp view preview_events as select * from build.int_events_resolved")
            result["events_from"] = str(build_db)
            if built and built[0] != as_of:
                result["warning"] = (f"the build's warehouse is as of {built[0]}, the published one of {as_of}: "
                                     "event conditions count the build's events")  # fmt: skip
            return {**result, **evaluate(con, compiled)}
    finally:
        con.close()


def report(result: dict[str, Any]) -> str:
    contacts, members = result["contacts"], result["members"]
    share = 100 * members / contacts if contacts else 0.0
    audience = "email audience" if result["email_audience"] else "not an email audience"
    lines = [
        f"segment {result['segment']!r} ({audience}) as of {result['as_of_date']}, published {result['published']}"
    ]
    if result["events_from"]:
        lines.append(f"events from {result['events_from']}")
    if result.get("warning"):
        lines.append(f"warning: {result['warning']}")
    lines.append(f"members: {members:,} of {contacts:,} contacts ({share:.1f} %); the rule holds for "
                 f"{result['rule_met']:,}; email-sendable members: {result['email_sendable_members']:,}")  # fmt: skip
    lines.append("contacts left after each step, in order:")
    lines += [f"  {step['contacts_after']:>10,}  {step['path']} {step['text']}" for step in result["funnel"]]
    lines.append("contacts passing each condition alone:")
    lines += [f"  {leaf['contacts']:>10,}  {leaf['path']} {leaf['text']}" for leaf in result["leaf_sizes"]]
    lines.append(f"sample of {len(result['sample'])} members (by a hash of contact_id):")
    for member in result["sample"]:
        held = "; ".join(f"{c['path']} {c['text']}: {'yes' if c['held'] else 'no'}" for c in member["conditions"])
        lines.append(f"  {member['contact_id']}  {held}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments preview", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    draft = parser
    draft.add_argument("--rule", help="the draft rule (or segment entry) as YAML or JSON")
    draft.add_argument("--name", help="the segment's name (with --file, or alone: a segment of the segment file)")
    draft.add_argument("--file", type=Path, help="a draft file with a `segments:` list")
    audience = draft.add_mutually_exclusive_group()
    audience.add_argument("--email-audience", dest="email_audience", action="store_true", default=None,
                          help="only sendable contacts are members (the default for a segment)")  # fmt: skip
    audience.add_argument("--not-email-audience", dest="email_audience", action="store_false",
                          help="an analysis segment: members whatever their consent")  # fmt: skip
    draft.add_argument("--db", type=Path, default=PUBLISHED_DB, help="published warehouse (default: %(default)s)")
    draft.add_argument("--build-db", type=Path, default=BUILD_DB,
                       help="the build's warehouse, for event conditions (default: %(default)s)")  # fmt: skip
    draft.add_argument("--target-path", type=Path, default=PROJECT_DIR / "target" / "preview",
                       help="dbt target folder of the compile, not the build's (default: %(default)s)")  # fmt: skip
    draft.add_argument("--vars", default="{}", help="dbt vars the build uses, as YAML (as_of is the published one)")
    draft.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.rule is None and args.name is None:
        parser.error("give --rule, or --name (with or without --file)")
    if args.file is not None and (args.rule is not None or args.name is None):
        parser.error("--file needs --name and no --rule")
    try:
        entry = draft_entry(args)
        extra_vars = load_yaml(args.vars, "--vars") or {}
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    if not isinstance(extra_vars, dict) or "as_of" in extra_vars:
        parser.error("--vars must be a mapping without as_of (the preview uses the published as_of)")
    started = time.monotonic()
    try:
        result = preview(entry, args.db, args.build_db, extra_vars, args.target_path)
    except (DraftError, WarehouseError) as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 1
    except BuildBusy as busy:
        running = busy.args[0].split(";")[0]
        print(f"error: event conditions read the build's warehouse, and {running}: try again when it ends",
              file=sys.stderr)  # fmt: skip
        return 3
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
