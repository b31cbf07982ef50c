"""One bad line never stops the day; a file that cannot be used stops it with one line naming it.

The corpus is tests/corpus/ (its README says what each file holds).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PROJECT_DIR, Build, write_raw

CORPUS = PROJECT_DIR / "tests" / "corpus"
CONTACTS = [
    {"contact_id": "C1", "email": "one@example.com", "consent_status": "subscribed",
     "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00"},
    {"contact_id": "C2", "email": "two@example.com", "consent_status": "subscribed",
     "created_at": "2026-01-01 00:00:00", "updated_at": "2026-01-01 00:00:00"},
]  # fmt: skip


def raw_folder(root: Path) -> Path:
    """The corpus's events as a folder of batches beside two contacts (no single events.csv)."""
    raw = write_raw(root / "raw", {"contacts": CONTACTS})
    (raw / "events.csv").unlink()
    shutil.copytree(CORPUS / "events", raw / "events")
    long_line = "E16,C1,page_view,2026-03-09 10:00:00,https://shop.example/" + "x" * 10_000_000 + ",\n"
    header = "event_id,contact_id,event_type,occurred_at,url,points\n"
    good_after = "E17,C1,page_view,2026-03-09 10:01:00,https://shop.example/l,\n"
    (raw / "events" / "long_field.csv").write_text(header + long_line + good_after)
    return raw


def warehouse(tmp_path: Path, raw: Path) -> Build:
    return Build(tmp_path / "warehouse.duckdb", tmp_path / "target", {"raw_data_path": str(raw), "as_of": "2026-03-31"})


def test_bad_lines_become_rejected_rows_and_the_rest_loads(tmp_path: Path) -> None:
    raw = raw_folder(tmp_path)
    build = warehouse(tmp_path, raw)
    build.run("build")

    unreadable = build.query(
        "select batch_name, split_part(unparsed_values, ':', 1), left(split_part(unparsed_values, ': ', 2), 4) "
        "from rejected_rows where reason = 'unreadable_row' order by 1, 2"
    )
    assert unreadable == [
        ("events/extra_field.csv", "line 3", "E08,"),
        ("events/invalid_utf8.csv", "line 2", "E10,"),
        ("events/long_field.csv", "line 2", "E16,"),
        ("events/unterminated_quote.csv", "line 3", '"E05'),
    ]
    kept = build.query(
        "select event_id from stg_marketing__events where event_row_id not in "
        "(select event_row_id from int_events_dropped) order by 1"
    )
    # An unterminated quote runs on to the next quote, as RFC 4180 reads it: line 4 (E06) is
    # inside the rejected row's text, not lost and not kept.
    assert [r[0] for r in kept] == ["E01", "E02", "E03", "E04", "E07", "E09", "E11", "E12", "E13", "E17"]
    swallowed = build.scalar("select unparsed_values from rejected_rows where batch_name like '%unterminated%'")
    assert "\nE06,C1,page_view" in swallowed
    # A long unreadable line is kept in rejected_rows cut to unreadable_text_chars (1000).
    longest = build.scalar("select max(length(unparsed_values)) from rejected_rows where reason = 'unreadable_row'")
    assert longest == len("line 2: ") + 1000
    # Rows in (lines) = kept + rejected + collapsed + erased, and the missing points column is empty.
    accounting = build.query(
        "select rows_in, rows_kept, rows_rejected, rows_collapsed, rows_erased from source_row_accounting "
        "where source_table = 'events'"
    )
    assert accounting == [(14, 10, 4, 0, 0)]
    assert build.query("select points, url from stg_marketing__events where event_id = 'E12'") == [(None, None)]
    assert build.scalar("select source_event_type from stg_marketing__events where event_id = 'E03'") == "page_view"


@pytest.mark.parametrize(
    ("corpus_file", "as_name", "message"),
    [
        ("zero_bytes.csv", "events.csv", "raw_data_path/events.csv: empty file, not even a header line"),
        ("no_event_id.csv", "events.csv",
         "raw_data_path/events.csv: no column event_id (columns found: id, contact_id, event_type, occurred_at)"),
        ("events.json", "events/events.json",
         "raw_data_path/events/events.json: unknown file format (a landing table's folder holds .csv or .parquet"),
    ],
    ids=["zero bytes", "no key column", "unknown format"],
)  # fmt: skip
def test_an_unusable_file_stops_the_build_with_one_line_naming_it(
    tmp_path: Path, corpus_file: str, as_name: str, message: str
) -> None:
    raw = write_raw(tmp_path / "raw", {"contacts": CONTACTS})
    if "/" in as_name:
        (raw / "events.csv").unlink()
        (raw / "events").mkdir()
        shutil.copy(CORPUS / "events" / "good.csv", raw / "events" / "good.csv")
    shutil.copy(CORPUS / "unusable" / corpus_file, raw / as_name)
    build = warehouse(tmp_path, raw)
    build.run("run", "--select", "stg_marketing__contacts", expect_success=False)
    assert not build.result.success
    assert message in str(build.result.exception)


def test_missing_and_unknown_columns_are_warned_about_naming_file_and_column(tmp_path: Path) -> None:
    raw = raw_folder(tmp_path)
    for name in ("long_field.csv", "invalid_utf8.csv", "unterminated_quote.csv", "extra_field.csv"):
        (raw / "events" / name).unlink()
    build = warehouse(tmp_path, raw)
    build.run("run", "-s", "stg_marketing__load_batches", "--log-path", str(tmp_path), "--log-format-file", "text")
    text = (tmp_path / "dbt.log").read_text()
    assert "raw_data_path/events/missing_points_column.csv: no column points; it is treated as empty" in text
    assert (
        "raw_data_path/events/column_outside_contract.csv: column favourite_colour is not in the landing contract "
        "and is ignored" in text
    )
