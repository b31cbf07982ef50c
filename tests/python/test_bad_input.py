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
    # An unterminated quote costs its own line: line 4 (E06), after it, is read and kept.
    assert [r[0] for r in kept] == ["E01", "E02", "E03", "E04", "E06", "E07", "E09", "E11", "E12", "E13", "E17"]
    broken = build.scalar("select unparsed_values from rejected_rows where batch_name like '%unterminated%'")
    assert broken == 'line 3: "E05,C1,page_view,2026-03-03 10:01:00,https://shop.example/e,'
    # A long unreadable line is kept in rejected_rows cut to unreadable_text_chars (1000).
    longest = build.scalar("select max(length(unparsed_values)) from rejected_rows where reason = 'unreadable_row'")
    assert longest == len("line 2: ") + 1000
    # Rows in (lines) = kept + rejected + collapsed + erased, and the missing points column is empty.
    accounting = build.query(
        "select rows_in, rows_kept, rows_rejected, rows_collapsed, rows_erased from source_row_accounting "
        "where source_table = 'events'"
    )
    assert accounting == [(15, 11, 4, 0, 0)]
    # 15 lines after the headers of the 8 files, none blank or inside a quoted field: one row each.
    assert build.query(
        "select file_lines, blank_lines, lines_in_quoted_fields from source_row_accounting "
        "where source_table = 'events'"
    ) == [(15, 0, 0)]
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


EVENTS_HEADER = "event_id,contact_id,event_type,occurred_at,url,points\n"
ADMISSION = "+rejected_rows +source_row_accounting +int_events_resolved"


def event_lines(prefix: str, count: int) -> list[str]:
    """`count` good event lines, E<prefix>0001 on, each on its own line."""
    return [f"E{prefix}{i:04d},C1,page_view,2026-03-01 10:00:00,https://shop.example/{prefix}/{i},\n"
            for i in range(1, count + 1)]  # fmt: skip


def test_an_unterminated_quote_costs_its_own_line_and_a_quoted_field_may_span_lines(tmp_path: Path) -> None:
    """Three files of 3,000 lines after the header (docs/landing.md "Unreadable lines")."""
    raw = write_raw(tmp_path / "raw", {"contacts": CONTACTS})
    (raw / "events.csv").unlink()
    (raw / "events").mkdir()
    # a: line 100 of the file (the header is line 1) opens a quote that never closes.
    middle = event_lines("A", 3000)
    middle[98] = 'EA0099,C1,page_view,2026-03-01 10:00:00,"https://x.example/unterminated,\n'
    # b: the same on the file's last line.
    last = event_lines("B", 3000)
    last[-1] = 'EB3000,C1,page_view,2026-03-01 10:00:00,"https://x.example/unterminated,\n'
    # c: line 50 holds a URL field quoted across two lines (RFC 4180), with a comma and a quote in it:
    # 3,000 rows on 3,001 lines.
    spanning = event_lines("C", 3000)
    spanning[48] = 'EC0049,C1,page_view,2026-03-01 10:00:00,"https://x.example/a\nb, ""c""",\n'
    for name, lines in (("a_middle.csv", middle), ("b_last.csv", last), ("c_spanning.csv", spanning)):
        (raw / "events" / name).write_text(EVENTS_HEADER + "".join(lines))
    build = warehouse(tmp_path, raw)
    build.run("build", "--select", ADMISSION)

    per_file = build.query(
        "select batches.batch_name, count(*), count(*) filter (where events.event_row_id not in "
        "(select event_row_id from int_events_dropped)) from stg_marketing__events as events "
        "inner join stg_marketing__load_batches as batches using (load_batch_number) group by 1 order by 1"
    )
    # Every line is a row of its own: 2,999 kept and 1 unreadable, or 3,000 kept.
    assert per_file == [
        ("events/a_middle.csv", 3000, 2999),
        ("events/b_last.csv", 3000, 2999),
        ("events/c_spanning.csv", 3000, 3000),
    ]
    unreadable = build.query(
        "select batch_name, unparsed_values from rejected_rows where reason = 'unreadable_row' order by 1"
    )
    assert unreadable == [
        ("events/a_middle.csv", 'line 100: EA0099,C1,page_view,2026-03-01 10:00:00,"https://x.example/unterminated,'),
        ("events/b_last.csv", 'line 3001: EB3000,C1,page_view,2026-03-01 10:00:00,"https://x.example/unterminated,'),
    ]
    # The lines after the broken one are read as they were: EA0100 is the row after it.
    assert build.scalar("select url from stg_marketing__events where event_id = 'EA0100'") == (
        "https://shop.example/A/100"
    )
    assert build.scalar("select url from stg_marketing__events where event_id = 'EC0049'") == (
        'https://x.example/a\nb, "c"'
    )
    # Physical lines after the headers: 9,001 = 9,000 rows in + the 1 line inside a quoted field.
    assert build.query(
        "select rows_in, rows_kept, rows_rejected, file_lines, blank_lines, lines_in_quoted_fields "
        "from source_row_accounting where source_table = 'events'"
    ) == [(9000, 8998, 2, 9001, 0, 1)]
    scans = build.query(
        "select replace(file, '" + str(raw) + "/', ''), readable_rows, physical_lines, quoted_lines, "
        "read_path = file from raw_files._csv_files where file like '%/events/%' order by 1"
    )
    # A file whose broken quote swallowed lines is read from a copy where that line is marked; the last
    # line's swallows nothing, so that file, like the others, is read in place.
    assert scans == [
        ("events/a_middle.csv", 2999, 3000, 0, False),
        ("events/b_last.csv", 2999, 3000, 0, True),
        ("events/c_spanning.csv", 3000, 3001, 1, True),
    ]

    # A second run reads the recorded scan and the copy, and finds the same rows.
    build.run("build", "--select", ADMISSION)
    assert build.scalar("select count(*) from stg_marketing__events") == 9000


def test_blank_lines_are_counted_apart_and_rows_that_lines_cannot_explain_stop_the_run(tmp_path: Path) -> None:
    raw = write_raw(tmp_path / "raw", {"contacts": CONTACTS})
    (raw / "events.csv").unlink()
    (raw / "events").mkdir()
    lines = event_lines("D", 5)
    (raw / "events" / "blank.csv").write_text(EVENTS_HEADER + "".join(lines[:2]) + "\n\n" + "".join(lines[2:]))
    build = warehouse(tmp_path, raw)
    build.run("build", "--select", ADMISSION)
    assert build.query(
        "select rows_in, file_lines, blank_lines, lines_in_quoted_fields from source_row_accounting "
        "where source_table = 'events'"
    ) == [(5, 7, 2, 0)]

    # A header whose last name is quoted across two lines: the reader takes both as the header, so the
    # file's 3 lines after its first line hold 2 rows, which no rule explains; the run stops naming it.
    (raw / "events" / "note_header.csv").write_text(
        EVENTS_HEADER.strip() + ',"note\nabout"\nEN1,C1,page_view,2026-03-01 10:00:00,u,,n\n'
        "EN2,C1,page_view,2026-03-01 10:00:00,u,,n\n"
    )
    build.run("build", "--select", ADMISSION, expect_success=False)
    assert (
        "raw_data_path/events/note_header.csv: 3 lines after the header (0 blank, 0 inside quoted fields) but 2 "
        "rows read and 0 unreadable; the file cannot be read line by line"
    ) in str(build.result.exception)
