"""The audit in write-audit-publish: a build that collapsed is not published.

dbt's tests pass on an empty table; this audit compares what a build would publish with
what readers have now (docs/publishing.md, "The publish audit"):
  - contacts and email-sendable contacts must not fall by more than publish_max_drop_pct;
  - no table's newest batch may have more than publish_max_rejected_pct of its rows rejected
    (for their own content: a row of an unknown contact is the contacts table's drop);
  - the newest event must be at most publish_max_staleness_days before as_of: a warning,
    or a refusal when publish_refuse_stale is true;
  - a segment whose size moves by more than publish_segment_change_pct is reported only
    (birthday_today moves every day).
The thresholds are dbt vars of this project (dbt_project.yml), overridden by --vars.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from .warehouse import PROJECT_DIR, project_vars, segment_columns

REFUSED = 4


@dataclass(frozen=True)
class Thresholds:
    max_drop_pct: float = 20
    max_rejected_pct: float = 10
    max_staleness_days: int = 2
    refuse_stale: bool = False
    segment_change_pct: float = 50


@dataclass
class Verdict:
    """What the audit found: refusals stop a publication, warnings and reports are recorded with it."""

    measures: dict[str, Any]
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def thresholds(overrides: dict[str, Any] | None = None, project_dir: Path = PROJECT_DIR) -> Thresholds:
    """The publish_* vars: this project's defaults (dbt_project.yml), then --vars, as dbt resolves them."""
    values = project_vars(overrides, project_dir)
    names = {"publish_max_drop_pct": "max_drop_pct", "publish_max_rejected_pct": "max_rejected_pct",
             "publish_max_staleness_days": "max_staleness_days", "publish_refuse_stale": "refuse_stale",
             "publish_segment_change_pct": "segment_change_pct"}  # fmt: skip
    return Thresholds(**{attr: values[var] for var, attr in names.items() if values.get(var) is not None})


def measure(con: duckdb.DuckDBPyConnection, newest_event_at: Any = None) -> dict[str, Any]:
    """The audited measures of the marts `con` holds (the new file, or the published one)."""
    contacts, sendable, as_of = con.execute(
        "select count(*), count(*) filter (where is_email_sendable), max(as_of_date) from contact_segments"
    ).fetchone() or (0, 0, None)  # fmt: skip
    segments = {}
    for column in segment_columns(con):
        segments[column[4:]] = con.execute(f"select count(*) filter (where {column}) from contact_segments").fetchone()[
            0
        ]  # type: ignore[index]
    # Each table's newest batch: its rows, and those rejected for their own content. A row rejected
    # as unknown_contact points at a contact the contacts table lacks: the drop rule judges that.
    batches = con.execute(
        "with newest as (select raw_table, batch_name, rows_read, coalesce(batch_modified_at, registered_at) as "
        "landed_at from load_batches qualify row_number() over (partition by raw_table order by load_batch_number "
        "desc) = 1), bad as (select source_table, batch_name, count(*) as n from rejected_rows where disposition = "
        "'rejected' and reason <> 'unknown_contact' group by all) select newest.*, coalesce(bad.n, 0) from newest "
        "left join bad on newest.raw_table = bad.source_table and newest.batch_name = bad.batch_name"
    ).fetchall()  # fmt: skip
    rejected, newest_batch = {}, {}
    for table, batch, read, landed, refused in batches:
        newest_batch[table] = str(landed) if landed else None
        rejected[table] = {"batch": batch, "rows": int(read or 0), "rejected": int(refused)}
    return {"as_of": str(as_of) if as_of else None, "contacts": contacts, "sendable": sendable, "segments": segments,
            "rejected": rejected, "newest_batch": newest_batch,
            "newest_event_at": str(newest_event_at) if newest_event_at else None}  # fmt: skip


def judge(new: dict[str, Any], old: dict[str, Any] | None, limits: Thresholds) -> Verdict:
    verdict = Verdict(new)
    for key, label in (("contacts", "contacts"), ("sendable", "email-sendable contacts")):
        before, now = (old or {}).get(key) or 0, new[key]
        if before and (before - now) * 100 > limits.max_drop_pct * before:
            verdict.refusals.append(
                f"{label} fell from {before:,} to {now:,} ({100 * (now - before) / before:+.0f} %), more than "
                f"publish_max_drop_pct {limits.max_drop_pct:g}"
            )
    for table, batch in sorted(new["rejected"].items()):
        if batch["rows"] and batch["rejected"] * 100 > limits.max_rejected_pct * batch["rows"]:
            verdict.refusals.append(
                f"{table}: {batch['rejected']:,} of the {batch['rows']:,} rows of batch {batch['batch']} rejected "
                f"({100 * batch['rejected'] / batch['rows']:.0f} %), more than publish_max_rejected_pct "
                f"{limits.max_rejected_pct:g}"
            )
    if new["as_of"] and new["newest_event_at"]:
        days = (date.fromisoformat(new["as_of"]) - date.fromisoformat(new["newest_event_at"][:10])).days
        if days > limits.max_staleness_days:
            finding = (f"events: the newest is of {new['newest_event_at'][:10]}, {days} days before as_of "
                       f"{new['as_of']}, more than publish_max_staleness_days {limits.max_staleness_days}")  # fmt: skip
            (verdict.refusals if limits.refuse_stale else verdict.warnings).append(finding)
    for segment, now in sorted(new["segments"].items()):
        before = (old or {}).get("segments", {}).get(segment)
        if before and abs(now - before) * 100 > limits.segment_change_pct * before:
            verdict.reports.append(f"segment {segment}: {before:,} -> {now:,} members "
                                   f"({100 * (now - before) / before:+.0f} %)")  # fmt: skip
    return verdict


def published_measures(published: Path) -> dict[str, Any] | None:
    """The measures of what readers have now: measured on the published file itself, so that a file
    published before audits existed is compared too. None when nothing is published."""
    if not published.exists():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            return measure(con)
    except duckdb.Error:
        return None


def append_audit(log: Path, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Add an audit to the history beside the published file; returns the whole history."""
    with log.open("a") as handle:
        handle.write(json.dumps(record, default=str) + "\n")
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
