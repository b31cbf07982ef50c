"""A mistake in the segment file fails compilation with a message naming the segment."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Build, copy_project, write_raw

SEGMENT_FILE = Path("models/marts/segments/_segments__models.yml")
Edit = Callable[[dict[str, Any]], None]


def segments_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["models"][0]["config"]["meta"]["segments"]


def columns_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["models"][0]["columns"]


def find(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(item for item in items if item["name"] == name)


def template_build(template: Path, project: Path) -> Build:
    """A build of `project`, a copy of the template, as the template was parsed: the same vars and
    warehouse path (dbt's partial parsing compares both), so that dbt re-parses only the file a test
    edited (under a second instead of a full parse of about 6 s). The tests of one worker run one
    after another, and these compiles write nothing to the warehouse."""
    variables = {"as_of": "2026-03-31", "raw_data_path": str(template / "raw")}
    return Build(template / "w.duckdb", project / "target", variables, project_dir=project)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project (without demo data) to break in different ways, parsed once."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    write_raw(root / "raw", {})
    template_build(root, root).run("parse")
    return root


def compile_with(template: Path, tmp_path: Path, edit: Edit, file: Path = SEGMENT_FILE,
                 model: str = "contact_segments") -> str:  # fmt: skip
    project = tmp_path / "project"
    shutil.copytree(template, project)
    doc = yaml.safe_load((project / file).read_text())
    edit(doc)
    (project / file).write_text(yaml.safe_dump(doc, sort_keys=False))
    build = template_build(template, project)
    result = build.run("compile", "--select", model, expect_success=False)
    assert not result.success, "the broken segment file compiled"
    return str(result.exception) if result.exception else " ".join(build.failures())


def set_rule(name: str, rule: dict[str, Any]) -> Edit:
    return lambda doc: find(segments_of(doc), name).update({"rule": rule})


def duplicate_first(doc: dict[str, Any]) -> None:
    segments_of(doc).append(copy.deepcopy(segments_of(doc)[0]))


def rename(doc: dict[str, Any]) -> None:
    find(segments_of(doc), "engaged")["name"] = "Engaged-Contacts"


def cycle(doc: dict[str, Any]) -> None:
    find(segments_of(doc), "engaged")["rule"] = {"segment": "lapsing"}
    find(segments_of(doc), "lapsing")["rule"] = {"all": [{"segment": "dormant"}]}
    find(segments_of(doc), "dormant")["rule"] = {"not": {"segment": "engaged"}}


def segment_without_column(doc: dict[str, Any]) -> None:
    segments_of(doc).append({"name": "big_spenders", "owner": "crm",
                             "rule": {"column": "monetary", "op": ">=", "value": 500}})  # fmt: skip


def column_without_segment(doc: dict[str, Any]) -> None:
    segments_of(doc).remove(find(segments_of(doc), "mobile_first"))


def columns_out_of_order(doc: dict[str, Any]) -> None:
    columns = columns_of(doc)
    a, b = columns.index(find(columns, "seg_engaged")), columns.index(find(columns, "seg_lapsing"))
    columns[a], columns[b] = columns[b], columns[a]


def holdout_without_column(doc: dict[str, Any]) -> None:
    find(segments_of(doc), "engaged")["holdout_pct"] = 5


def set_splits(name: str, splits: Any) -> Edit:
    return lambda doc: find(segments_of(doc), name).update(splits=splits)


def set_goal(name: str, goal: str) -> Edit:
    return lambda doc: find(segments_of(doc), name).update(lift_goal=goal)


def no_owner(doc: dict[str, Any]) -> None:
    del find(segments_of(doc), "vip")["owner"]


def no_description(doc: dict[str, Any]) -> None:
    del find(columns_of(doc), "seg_vip")["description"]


CASES: list[tuple[str, Edit, str]] = [
    ("unknown column", set_rule("vip", {"column": "net_worth", "op": ">", "value": 1}),
     "segment 'vip': rule uses unknown column 'net_worth'"),
    ("unknown segment", set_rule("vip", {"all": [{"segment": "whales"}]}),
     "segment 'vip': references unknown segment 'whales'"),
    ("cycle", cycle, "segment 'engaged': references form a cycle: engaged -> lapsing -> dormant -> engaged"),
    ("duplicate name", duplicate_first, "segment 'welcome_web_form': the name is declared twice"),
    ("invalid name", rename, "segment 'Engaged-Contacts': the name must be snake_case"),
    ("bad operator", set_rule("vip", {"column": "lead_score", "op": "~", "value": 1}),
     "segment 'vip': rule (lead_score) uses operator '~'"),
    ("text value for a number", set_rule("vip", {"column": "lead_score", "op": ">=", "value": "high"}),
     "segment 'vip': rule (lead_score) needs a number value, got high"),
    ("number for a boolean", set_rule("vip", {"column": "has_abandoned_cart", "op": "=", "value": 1}),
     "segment 'vip': rule (has_abandoned_cart) needs a boolean value, got 1"),
    ("contains on text", set_rule("vip", {"column": "country", "op": "contains", "value": "D"}),
     "segment 'vip': rule (country) uses operator 'contains'"),
    ("between needs two values", set_rule("vip", {"column": "lead_score", "op": "between", "value": [1]}),
     "segment 'vip': rule (lead_score) needs [low, high] with 'between'"),
    ("unknown event", set_rule("vip", {"event": "teleported", "within_days": 3}),
     "segment 'vip': rule uses unknown event type 'teleported'"),
    ("unknown event property", set_rule("vip", {"event": "purchase", "where": [{"property": "colour", "op": "=",
                                                                                "value": "red"}]}),
     "segment 'vip': rule.where[0] needs a property"),
    ("between_days out of order", set_rule("vip", {"event": "purchase", "between_days": [90, 30]}),
     "segment 'vip': rule.between_days must be [m, n], whole numbers with 0 <= m < n"),
    ("between_days not a pair", set_rule("vip", {"event": "purchase", "between_days": 30}),
     "segment 'vip': rule.between_days must be [m, n], whole numbers with 0 <= m < n"),
    ("between_days beside within_days", set_rule("vip", {"event": "purchase", "within_days": 7,
                                                         "between_days": [0, 7]}),
     "segment 'vip': rule has both within_days and between_days; keep one"),
    ("a sequence of one step", set_rule("vip", {"sequence": [{"event": "purchase"}]}),
     "segment 'vip': rule.sequence must be a list of 2 to 5 steps"),
    ("a sequence starting with a negation", set_rule("vip", {"sequence": [{"not": {"event": "add_to_cart"}},
                                                                          {"event": "purchase"}]}),
     "segment 'vip': rule.sequence[0] cannot be negated: a sequence starts with an event"),
    ("a step with two times", set_rule("vip", {"sequence": [{"event": "add_to_cart"},
                                                            {"event": "purchase", "then_within_hours": 2,
                                                             "then_within_days": 1}]}),
     "segment 'vip': rule.sequence[1] has both then_within_hours and then_within_days; keep one"),
    ("a step of an unknown event", set_rule("vip", {"sequence": [{"event": "add_to_cart"},
                                                                 {"not": {"event": "teleported"}}]}),
     "segment 'vip': rule.sequence[1].not uses unknown event type 'teleported'"),
    ("a habit of more periods than it looks at", set_rule("vip", {"event": "purchase",
                                                                  "in_periods": {"k": 4, "of": 3, "period": "month"}}),
     "segment 'vip': rule.in_periods must be {k: K, of: N, period: week or month}, whole numbers with 1 <= K <= N"),
    ("a habit over days", set_rule("vip", {"event": "purchase", "in_periods": {"k": 1, "of": 3, "period": "day"}}),
     "segment 'vip': rule.in_periods must be {k: K, of: N, period: week or month}"),
    ("a habit with a window", set_rule("vip", {"event": "purchase", "within_days": 30,
                                               "in_periods": {"k": 1, "of": 3, "period": "month"}}),
     "segment 'vip': rule has unknown key 'within_days' (a habit takes event, where, in_periods)"),
    ("a return after no days", set_rule("vip", {"event": "purchase", "returned_after_days": 0}),
     "segment 'vip': rule.returned_after_days must be a whole number of at least 1"),
    ("segment without column", segment_without_column, "segment 'big_spenders': has no contract column"),
    ("column without segment", column_without_segment,
     "segment 'mobile_first': column seg_mobile_first is declared but no segment (or holdout) defines it"),
    ("columns out of order", columns_out_of_order, "segment 'engaged': column seg_engaged is out of order"),
    ("holdout without column", holdout_without_column,
     "segment 'engaged': add the contract column seg_engaged_holdout"),
    ("splits not summing to 100", set_splits("cart_abandoners", {"a": 50, "b": 40}),
     "segment 'cart_abandoners': split shares must sum to 100, not 90"),
    ("a split named holdout", set_splits("cart_abandoners", {"holdout": 50, "b": 50}),
     "segment 'cart_abandoners': split group 'holdout' must be snake_case and not holdout or treatment"),
    ("one split group", set_splits("cart_abandoners", {"a": 100}),
     "segment 'cart_abandoners': splits must map two or more group names to shares"),
    ("splits without column", set_splits("engaged", {"a": 50, "b": 50}),
     "segment 'engaged': add the contract column seg_engaged_split (data_type varchar)"),
    ("lift goal that is no event", set_goal("cart_abandoners", "teleported"),
     "segment 'cart_abandoners': lift_goal must be purchase or an event type, not teleported"),
    ("lift goal without a holdout", set_goal("vip", "purchase"),
     "segment 'vip': lift_goal needs a holdout_pct or splits to measure"),
    ("no owner", no_owner, "segment 'vip': needs an owner"),
    ("no description", no_description, "segment 'vip': its column seg_vip needs a description"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "edit", "message"), CASES, ids=[c[0] for c in CASES])
def test_mistake_fails_with_a_message_naming_the_segment(
    template: Path, tmp_path: Path, case: str, edit: Edit, message: str
) -> None:
    assert message in compile_with(template, tmp_path, edit), case


def test_adding_a_segment_is_editing_the_file_and_building(template: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(template, project)
    doc = yaml.safe_load((project / SEGMENT_FILE).read_text())
    segments_of(doc).append({"name": "french_speakers", "owner": "regional", "email_audience": False,
                             "rule": {"column": "language", "op": "=", "value": "fr"}})  # fmt: skip
    columns = columns_of(doc)
    columns.insert(len(columns) - 1, {"name": "seg_french_speakers", "data_type": "boolean",
                                      "description": "French-speaking contacts."})  # fmt: skip
    (project / SEGMENT_FILE).write_text(yaml.safe_dump(doc, sort_keys=False))
    write_raw(project / "raw", {"contacts": [
        {"contact_id": "F", "email": "f@example.com", "language": "FR", "created_at": "2026-01-01 00:00:00"},
        {"contact_id": "G", "email": "g@example.com", "language": "de", "created_at": "2026-01-01 00:00:00"},
    ]})  # fmt: skip
    build = Build(tmp_path / "w.duckdb", tmp_path / "target",
                  {"as_of": "2026-03-31", "raw_data_path": str(project / "raw")}, project_dir=project)  # fmt: skip
    build.run("build")
    assert build.query("select contact_id, seg_french_speakers from contact_segments order by 1") == [
        ("F", True), ("G", False),
    ]  # fmt: skip
    last_columns = build.query("select column_name from information_schema.columns where table_name = "
                               "'contact_segments' order by ordinal_position desc limit 2")  # fmt: skip
    assert last_columns == [("as_of_date",), ("seg_french_speakers",)]


TRAITS_FILE = Path("models/marts/contacts/_contacts__models.yml")


def edit_trait(trait_name: str, **changes: Any) -> Edit:
    """Change the trait `trait_name` (a value of None removes that key)."""

    def edit(doc: dict[str, Any]) -> None:
        model = find(doc["models"], "contact_traits")
        trait = find(model["config"]["meta"]["traits"], trait_name)
        trait.update({key: value for key, value in changes.items() if value is not None})
        for key in [key for key, value in changes.items() if value is None]:
            trait.pop(key, None)

    return edit


def trait_column_type(name: str, data_type: str) -> Edit:
    return lambda doc: find(find(doc["models"], "contact_traits")["columns"], name).update(data_type=data_type)


TRAIT_CASES: list[tuple[str, Edit, str]] = [
    ("an unknown aggregate", edit_trait("purchase_lines_365d", aggregate="median"),
     "trait 'purchase_lines_365d': aggregate must be one of count, sum, avg"),
    ("an average of text", edit_trait("shoe_line_value_avg_180d", value="category"),
     "trait 'shoe_line_value_avg_180d': avg needs a value: a number property of the events"),
    ("a count of a value", edit_trait("purchase_lines_365d", value="revenue"),
     "trait 'purchase_lines_365d': count takes no value"),
    ("two windows", edit_trait("top_category_last_10_purchases", within_days=30),
     "trait 'top_category_last_10_purchases': last_n must be a whole number of at least 1, without within_days"),
    ("a limit on no list", edit_trait("purchase_lines_365d", limit=3),
     "trait 'purchase_lines_365d': limit is for a list"),
    ("an unknown event", edit_trait("last_email_click_at", event="teleported"),
     "trait 'last_email_click_at': the trait uses unknown event type 'teleported'"),
    ("a feature's name", edit_trait("purchase_lines_365d", name="lead_score"),
     "trait 'lead_score': the name is taken (by another trait or a contact_features column)"),
    ("a type the aggregate does not give", trait_column_type("purchase_lines_365d", "varchar"),
     "trait 'purchase_lines_365d': count of events gives a number value: declare a number data_type, not varchar"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "edit", "message"), TRAIT_CASES, ids=[c[0] for c in TRAIT_CASES])
def test_a_trait_mistake_fails_with_a_message_naming_the_trait(
    template: Path, tmp_path: Path, case: str, edit: Edit, message: str
) -> None:
    assert message in compile_with(template, tmp_path, edit, TRAITS_FILE, "contact_traits"), case
