"""contact_features as a whole: point in time, the windows var, thresholds as vars."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import Build, generate_raw

AS_OF = "2026-04-30"
CUTOFF = "2026-05-01 00:00:00"  # the end of the as_of day, in UTC


# For each raw table, the rows that had not happened yet at the cutoff. Unparseable
# times stay: they are rejected either way. A contact created before the cutoff
# existed then, even when its only record was updated later (docs/identity.md lets the
# earliest record stand in); a later update of a record that existed is dropped.
def _before(column: str) -> str:
    return f"coalesce(try_cast({column} as timestamptz) < timestamptz '{CUTOFF}+00', true)"


LATER = {
    "events": _before("occurred_at"),
    "contact_tags": _before("tagged_at"),
    "contact_attributes": _before("updated_at"),
    "suppressions": _before("suppressed_at"),
    "contacts": f"""{_before("created_at")} and (
        {_before("updated_at")}
        or not bool_or({_before("updated_at")}) over (partition by contact_id)
    )""",
}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_raw(tmp_path_factory.mktemp("features") / "full", 800, 120, "2026-05-31", seed=11)


def features(build: Build) -> list[tuple[object, ...]]:
    return build.query("select * from contact_features order by contact_id")


def test_events_after_as_of_change_nothing(raw: Path, tmp_path: Path) -> None:
    """Build a past as_of on data that ends then, add everything that happened later, build again."""
    truncated = tmp_path / "truncated"
    truncated.mkdir()
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for csv in raw.glob("*.csv"):
        table = csv.stem
        source = f"read_csv('{csv}', header = true, all_varchar = true)"
        where = LATER.get(table, "true")
        keep = f"select * exclude (keep) from (select *, {where} as keep from {source}) where keep"
        con.execute(f"copy ({keep}) to '{truncated / csv.name}' (header, quote '\"')")
    dropped = con.execute(f"select count(*) from read_csv('{raw}/events.csv', all_varchar = true)").fetchone()
    kept = con.execute(f"select count(*) from read_csv('{truncated}/events.csv', all_varchar = true)").fetchone()
    assert dropped is not None and kept is not None and dropped[0] - kept[0] > 1000, "the later data must matter"

    before = Build(tmp_path / "w.duckdb", tmp_path / "target", {"as_of": AS_OF, "raw_data_path": str(truncated)})
    before.run("build")
    snapshot = features(before)
    assert len(snapshot) > 300

    after = Build(tmp_path / "after.duckdb", tmp_path / "target", {"as_of": AS_OF, "raw_data_path": str(raw)})
    after.run("build")
    assert features(after) == snapshot
    # ... while the latest as_of does see the later data.
    latest = Build(tmp_path / "after.duckdb", tmp_path / "target", {"as_of": "2026-05-31", "raw_data_path": str(raw)})
    latest.run("build")
    assert features(latest) != snapshot


def test_engagement_windows_var_decides_the_window_columns(raw: Path, tmp_path: Path) -> None:
    build = Build(tmp_path / "w.duckdb", tmp_path / "target",
                  {"as_of": "2026-05-31", "raw_data_path": str(raw), "engagement_windows": [7, 14]})  # fmt: skip
    build.run("build")
    columns = {r[0] for r in build.query("select column_name from information_schema.columns "
                                         "where table_name = 'contact_features'")}  # fmt: skip
    for kind in ("emails_delivered", "emails_opened", "emails_clicked", "open_rate", "click_rate"):
        assert {f"{kind}_7d", f"{kind}_14d"} <= columns
        assert f"{kind}_30d" not in columns
    # Wider windows never count fewer messages.
    assert build.query("select count(*) from contact_features where emails_delivered_14d < emails_delivered_7d") == [
        (0,)
    ]


def test_thresholds_are_vars(raw: Path, tmp_path: Path) -> None:
    build = Build(tmp_path / "w.duckdb", tmp_path / "target",
                  {"as_of": "2026-05-31", "raw_data_path": str(raw), "engaged_days": 14,
                   "cart_abandonment_days": 30})  # fmt: skip
    build.run("build")
    rows = build.query("select days_since_last_engagement, email_engagement_status from contact_features")
    assert [d for d, s in rows if s == "engaged" and d > 13] == []
    assert any(s == "engaged" for d, s in rows)
    # Engaged within 30 days but not within 14: lapsing under the override.
    assert any(s == "lapsing" for d, s in rows if d is not None and 14 <= d <= 29)
    carts = build.query(
        "select count(*) from contact_features f join int_contact_activity a using (contact_id) "
        "where f.has_abandoned_cart and a.last_add_to_cart_at < timestamp '2026-05-25 00:00:00'"
    )
    assert carts[0][0] > 0, "a cart 7 to 29 days old is abandoned with a 30-day window"
