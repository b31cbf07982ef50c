"""scripts/window_movers.py: the persons a day with no new batch moves, counted on a small warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import load_script

window_movers = load_script("window_movers")


def test_the_windows_are_the_feature_windows_of_the_project() -> None:
    assert window_movers.window_lengths() == [3, 7, 30, 90, 365]


def test_a_person_moves_on_the_day_one_of_their_event_days_leaves_a_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table int_contacts_resolved as select unnest(['a', 'b', 'c', 'd']) as contact_id")
    con.execute(
        "create table int_events_resolved as select * from (values"
        " ('a', timestamp '2026-10-03 10:00:00', 'email_opened'),"  # leaves the 7-day window on 10-10
        " ('a', timestamp '2026-10-03 11:00:00', 'page_view'),"  # the same person and day: counted once
        " ('b', timestamp '2026-10-07 09:00:00', 'page_view'),"  # leaves the 3-day window on 10-10
        " ('c', timestamp '2026-09-10 09:00:00', 'purchase'),"  # leaves the 30-day window on 10-10
        " ('d', timestamp '2026-10-05 09:00:00', 'page_view')"  # leaves a window on 10-08 and 10-12 only
        ") as events (contact_id, occurred_at, event_type)"
    )
    con.close()

    assert window_movers.main(["--db", str(db), "--first", "2026-10-08", "--last", "2026-10-10"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "4 persons; windows of 3, 7, 30, 90, 365 days"
    # 10-08: d (3 days after 10-05); 10-09: nobody; 10-10: a (7 days, by an email), b (3 days), c (30 days)
    assert [line.split()[:4] for line in lines[2:5]] == [
        ["2026-10-08", "Thu", "1", "25.0%"],
        ["2026-10-09", "Fri", "0", "0.0%"],
        ["2026-10-10", "Sat", "3", "75.0%"],
    ]
    assert lines[4].split()[4] == "25.0%"  # moved by an email event: a
    assert lines[5] == "median share 25.0%, range 0.0% to 75.0%"


def test_a_missing_warehouse_is_one_line_and_exit_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        window_movers.main(["--db", str(tmp_path / "none.duckdb"), "--first", "2026-10-08", "--last", "2026-10-10"])
        == 2
    )
    assert capsys.readouterr().err == f"window_movers: no warehouse at {tmp_path / 'none.duckdb'}\n"
