"""Print a short summary of a built warehouse: rows per model and rejected rows by reason.

Reads the model list from dbt's manifest (target/manifest.json) and the tables from the
published warehouse (SEGMENTS_PUBLISHED_PATH, default target/published/segments.duckdb),
or from the build's own with --db target/segments.duckdb (every model, when no build runs).
Models the warehouse does not hold are left out. Run it after `segments build`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from .warehouse import DEFAULT_DB


def model_relations(manifest_path: Path) -> list[tuple[str, str, str, str]]:
    """(layer, model name, schema, table) of every enabled model, staging first."""
    manifest = json.loads(manifest_path.read_text())
    rows = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        layer = Path(node["original_file_path"]).parts[1]
        rows.append((layer, node["name"], node["schema"], node["alias"]))
    order = {"staging": 0, "intermediate": 1, "marts": 2}
    return sorted(rows, key=lambda r: (order.get(r[0], 9), r[1]))


def summarize(con: duckdb.DuckDBPyConnection, manifest_path: Path) -> str:
    lines = ["Rows per model:"]
    held = {
        (r[0], r[1]) for r in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    }
    for layer, name, schema, table in model_relations(manifest_path):
        if (schema, table) in held:
            (count,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone() or (0,)
            lines.append(f"  {layer:<13}{name:<45}{count:>12,}")
    lines.append("")
    lines.append("Source rows (in = kept + rejected + collapsed + erased):")
    for row in con.execute(
        "select source_table, rows_in, rows_kept, rows_rejected, rows_collapsed, rows_erased "
        "from source_row_accounting order by source_table"
    ).fetchall():
        lines.append("  {:<20}{:>10,} = {:>10,} + {:>8,} + {:>8,} + {:>6,}".format(*row))
    lines.append("")
    lines.append("Rejected and collapsed rows by reason:")
    for table, reason, disposition, count in con.execute(
        "select source_table, reason, disposition, count(*) from rejected_rows group by all order by all"
    ).fetchall():
        lines.append(f"  {table:<20}{reason:<30}{disposition:<11}{count:>8,}")
    sizes = con.execute(
        "select as_of_date, segment, members, entered, exited from segment_daily_sizes "
        "where as_of_date = (select max(as_of_date) from segment_daily_sizes) order by members desc, segment"
    ).fetchall()
    if sizes:
        lines += ["", f"Segment sizes as of {sizes[0][0]} (members, entered, exited since the previous recorded day):"]
        lines += [
            f"  {segment:<30}{members:>8,}{entered:>8,}{exited:>8,}" for _, segment, members, entered, exited in sizes
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="segments summary", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=Path(DEFAULT_DB), help="DuckDB file (default: %(default)s)")
    parser.add_argument(
        "--manifest", type=Path, default=Path("target/manifest.json"), help="dbt manifest (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    for path, what in ((args.db, "database"), (args.manifest, "manifest")):
        if not path.exists():
            print(f"error: no {what} at {path}; run `dbt build` first (`segments build`)", file=sys.stderr)
            return 2
    try:
        with duckdb.connect(str(args.db), read_only=True) as con:
            print(summarize(con, args.manifest))
    except duckdb.Error as exc:
        print(f"error: cannot read {args.db}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
