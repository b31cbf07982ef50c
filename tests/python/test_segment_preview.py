"""`segments preview`: a draft segment on the published demo warehouse, compiled by the mart's compiler."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS, Build


@pytest.fixture(scope="module")
def preview_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dbt target folder of the previews: one per worker process, so the project is parsed once there."""
    return tmp_path_factory.mktemp("preview-target")


@pytest.fixture
def warehouses(demo: Build, demo_copy: Path, tmp_path: Path, preview_target: Path) -> tuple[Path, Path, Path]:
    """(published, build, target): the demo published as `segments build` does, a copy of its build warehouse,
    and the previews' dbt target folder."""
    build_db = tmp_path / "build.duckdb"
    shutil.copy(demo_copy, build_db)
    published = tmp_path / "published.duckdb"
    done = subprocess.run([*SEGMENTS, "publish", "--db", str(demo_copy), "--published", str(published)],
                          cwd=PROJECT_DIR, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return published, build_db, preview_target


def preview(warehouses: tuple[Path, Path, Path], *args: str) -> subprocess.CompletedProcess[str]:
    published, build_db, target = warehouses
    command = [*SEGMENTS, "preview", "--db", str(published), "--build-db", str(build_db),
               "--target-path", str(target), *args]  # fmt: skip
    return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)


def previewed(warehouses: tuple[Path, Path, Path], *args: str) -> dict[str, Any]:
    done = preview(warehouses, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_catalogue_segments_preview_as_the_mart_has_them(warehouses: tuple[Path, Path, Path]) -> None:
    published, build_db, _ = warehouses
    with duckdb.connect(str(published), read_only=True) as con:
        contacts, lapsed, apple = con.execute(
            "select count(*), count(*) filter (where seg_lapsed_buyers), "
            "count(*) filter (where seg_apple_cart_abandoners) from contact_segments"
        ).fetchone()  # type: ignore[misc]
    # Two event conditions (between_days and a negated within_days), read from the build's events.
    result = previewed(warehouses, "--name", "lapsed_buyers")
    assert (result["members"], result["contacts"], result["events_from"]) == (lapsed, contacts, str(build_db))
    assert result["email_sendable_members"] == lapsed > 10 and result["as_of_date"] == "2026-10-31"
    assert [len(m["conditions"]) for m in result["sample"]] == [2] * 10
    # Each sample member's conditions are those the explain view gives for it.
    with duckdb.connect(str(build_db), read_only=True) as con:
        for member in result["sample"]:
            explained = dict(con.execute(
                "select condition_path, is_met from contact_segment_conditions where segment_name = 'lapsed_buyers' "
                "and contact_id = ? and condition_path like 'rule%'", [member["contact_id"]]).fetchall())  # fmt: skip
            assert {c["path"]: c["held"] for c in member["conditions"]} == explained
            assert explained == {"rule.all[0]": True, "rule.all[1].not": False}
    # A reference to another segment, and no events read.
    result = previewed(warehouses, "--name", "apple_cart_abandoners")
    assert result["members"] == apple and result["events_from"] is None
    assert result["sample"][0]["conditions"][0]["text"] == "member of cart_abandoners"


def test_abandonment_written_as_sequences_previews_the_abandonment_columns(
    warehouses: tuple[Path, Path, Path],
) -> None:
    """docs/segments.md "Sequences": the two abandonment columns as sequences hold for the same contacts."""
    published, _, _ = warehouses
    with duckdb.connect(str(published), read_only=True) as con:
        carts, browses = con.execute(
            "select count(*) filter (where has_abandoned_cart), count(*) filter (where has_abandoned_browse)"
            " from contact_features"
        ).fetchone()  # type: ignore[misc]
    cart = "{sequence: [{event: add_to_cart}, {not: {event: purchase}}], within_days: 7}"
    browse = ("{sequence: [{event: product_view}, {not: {event: add_to_cart}}, {not: {event: purchase}}],"
              " within_days: 3}")  # fmt: skip
    assert previewed(warehouses, "--rule", cart, "--not-email-audience")["members"] == carts > 50
    assert previewed(warehouses, "--rule", browse, "--not-email-audience")["members"] == browses > 50
    # Each contact, not only the counts: a rule that differs from the column anywhere holds for no one.
    differs = f"{{any: [{{all: [{cart}, {{column: has_abandoned_cart, op: '=', value: false}}]}},"
    differs += f" {{all: [{{not: {cart}}}, {{column: has_abandoned_cart, op: '=', value: true}}]}}]}}"
    assert previewed(warehouses, "--rule", differs, "--not-email-audience")["members"] == 0


def test_a_draft_rule_from_the_command_line_or_a_file(warehouses: tuple[Path, Path, Path], tmp_path: Path) -> None:
    published, _, _ = warehouses
    with duckdb.connect(str(published), read_only=True) as con:
        scored, scored_sendable = con.execute(
            "select count(*) filter (where lead_score >= 30), "
            "count(*) filter (where lead_score >= 30 and is_email_sendable) from contact_features"
        ).fetchone()  # type: ignore[misc]
        vip_outside_us = con.execute(
            "select count(*) from contact_segments where seg_vip and coalesce(country, '') <> 'US'"
        ).fetchone()[0]  # type: ignore[index]
    result = previewed(warehouses, "--rule", '{column: lead_score, op: ">=", value: 30}', "--not-email-audience")
    assert (result["segment"], result["members"], result["rule_met"]) == ("draft", scored, scored)
    assert result["email_sendable_members"] == scored_sendable < scored
    assert len(result["sample"]) == 10 and all(m["conditions"][0]["held"] for m in result["sample"])
    # The same rule as an email audience: only the sendable contacts are members.
    result = previewed(warehouses, "--rule", '{"name": "scored", "rule": {"column": "lead_score", "op": ">=", '
                                             '"value": 30}}')  # fmt: skip
    assert (result["segment"], result["members"], result["rule_met"]) == ("scored", scored_sendable, scored)

    drafts = tmp_path / "drafts.yml"
    drafts.write_text("segments:\n  - name: vip_abroad\n    owner: crm\n    rule:\n      all:\n"
                      "        - {segment: vip}\n        - {not: {column: country, op: '=', value: US}}\n")  # fmt: skip
    done = preview(warehouses, "--file", str(drafts), "--name", "vip_abroad")
    assert done.returncode == 0, done.stderr
    assert f"members: {vip_outside_us:,} of " in done.stdout and 'rule.all[1].not country = "US": no' in done.stdout


def test_mistakes_get_the_words_of_dbt_build_and_events_wait_for_no_build(warehouses: tuple[Path, Path, Path],
                                                                        tmp_path: Path) -> None:  # fmt: skip
    done = preview(warehouses, "--rule", '{column: net_worth, op: ">", value: 1}')
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: segment 'draft': rule uses unknown column 'net_worth' (not a documented column of contact_features) "
        "(edit models/marts/segments/_segments__models.yml)"
    )
    done = preview(warehouses, "--rule", "{all: [{segment: no_such_segment}]}")
    assert done.returncode == 1 and "rule.all[0] references unknown segment 'no_such_segment'" in done.stderr
    bad = preview(warehouses, "--rule", "{rule: {segment: vip}, colour: red}")
    assert bad.returncode == 2 and "unknown key 'colour'" in bad.stderr
    bad = preview(warehouses, "--name", "no_such_segment")
    assert bad.returncode == 2 and "no segment 'no_such_segment'" in bad.stderr and "lapsed_buyers" in bad.stderr
    bad = preview(warehouses)
    assert bad.returncode == 2 and "give --rule, or --name" in bad.stderr
    nothing = subprocess.run([*SEGMENTS, "preview", "--db", str(tmp_path / "none.duckdb"),
                              "--rule", "{segment: vip}"], cwd=PROJECT_DIR, capture_output=True, text=True)  # fmt: skip
    assert nothing.returncode == 1 and nothing.stderr.startswith("error: nothing is published at ")

    # Event conditions read the build's warehouse only when no build holds it; the rest never waits.
    _, build_db, _ = warehouses
    with (build_db.parent / (build_db.name + ".build-lock")).open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("build, pid 1, started 2026-11-01 06:00:00 UTC")
        lock.flush()
        busy = preview(warehouses, "--rule", "{event: email_clicked, within_days: 30}")
        assert busy.returncode == 3
        assert busy.stderr.strip() == ("error: event conditions read the build's warehouse, and another build is "
                                       "running (build, pid 1, started 2026-11-01 06:00:00 UTC): try again when it "
                                       "ends")  # fmt: skip
        assert preview(warehouses, "--rule", "{segment: vip}").returncode == 0


FUNNEL_RULE = (
    '{all: [{column: lead_score, op: ">=", value: 10}, {not: {column: country, op: "=", value: DE}},'
    ' {any: [{column: customer_status, op: "=", value: active}, {column: frequency, op: ">=", value: 2}]}]}'
)


def test_size_after_each_condition_and_of_each_condition_alone(warehouses: tuple[Path, Path, Path]) -> None:
    """For an `all`, the contacts left after each of its conditions in order; for every leaf, the contacts
    for whom it holds alone (a leaf under `not` is its comparison, as the explain view has it)."""
    published, _, _ = warehouses
    scored = "coalesce(lead_score >= 10, false)"
    abroad = "not coalesce(country = 'DE', false)"
    buyer = "(coalesce(customer_status = 'active', false) or coalesce(frequency >= 2, false))"
    with duckdb.connect(str(published), read_only=True) as con:
        expected = con.execute(
            f"select count(*) filter (where {scored}), count(*) filter (where {scored} and {abroad}), "
            f"count(*) filter (where {scored} and {abroad} and {buyer}), "
            f"count(*) filter (where {scored} and {abroad} and {buyer} and is_email_sendable), "
            "count(*) filter (where country = 'DE'), count(*) filter (where customer_status = 'active'), "
            "count(*) filter (where frequency >= 2) from contact_features"
        ).fetchone()  # type: ignore[misc]
    after_1, after_2, after_3, members, german, active, repeat = expected  # type: ignore[misc]
    result = previewed(warehouses, "--rule", FUNNEL_RULE)
    assert [(s["path"], s["contacts_after"]) for s in result["funnel"]] == [
        ("rule.all[0]", after_1), ("rule.all[1]", after_2), ("rule.all[2]", after_3),
        ("membership", members)]  # fmt: skip
    assert after_1 > after_2 > after_3 == result["rule_met"] > result["members"] == members > 0
    assert result["funnel"][0]["text"] == result["leaf_sizes"][0]["text"]
    assert [(leaf["path"], leaf["contacts"]) for leaf in result["leaf_sizes"]] == [
        ("rule.all[0]", after_1), ("rule.all[1].not", german), ("rule.all[2].any[0]", active),
        ("rule.all[2].any[1]", repeat)]  # fmt: skip
    assert min(german, active, repeat) > 0
    # A rule that is not an `all` is one step (and not an email audience, no membership step).
    single = previewed(warehouses, "--rule", '{column: country, op: "=", value: DE}', "--not-email-audience")
    assert [(s["path"], s["contacts_after"]) for s in single["funnel"]] == [("rule", german)]
    assert single["leaf_sizes"][0]["contacts"] == german == single["members"]
    text = preview(warehouses, "--rule", FUNNEL_RULE).stdout
    assert "contacts left after each step, in order:" in text and f"{after_2:>10,}  rule.all[1]" in text
