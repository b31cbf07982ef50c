"""An independent reading of the segment rule language (docs/segments.md), in Python.

`rules()` draws random rule trees over contact_features columns, event conditions and
references to other segments; `evaluate()` decides membership from contact_features rows
and the kept events as the documentation words it, without the SQL compiler:

- a leaf `{column, op, value}` compares the contact's value; a comparison with an empty
  (null) value is false, `is null` / `is not null` excepted; `between` includes both ends;
  `contains` asks whether a list holds the value;
- `{event, min_count, within_days | between_days, where}`: at least min_count kept events
  of that type up to the end of as_of, in the window, passing every `where` filter
  (revenue in the reporting currency); a machine open is not an `email_opened`;
- `{event, where, in_periods: {k, of, period}}` (a habit): a matching event in at least k of
  the last `of` whole calendar weeks (Monday first) or months, a period being whole once it
  has ended by the end of as_of;
- `{event, where, returned_after_days: G, window, min_count}` (a return): at least min_count
  moments in the window with a matching event whose latest strictly earlier matching event
  is at least G x 24 hours before it (a first event is no return);
- `{sequence: [steps], window, min_count}`: at least min_count first-step events in the
  window from which the later steps can be matched in order: a positive step by a matching
  event at or after the last positive step's event (not one of the chain's events), within
  its then_within_hours / then_within_days x 24 hours (end included) if it has one; a
  negated step `{not: ...}` by the absence of such an event;
- a trait (docs/traits.md) of contact_traits: its aggregate over the value of the matching
  events in its window, or of its last_n matching events (order: occurred_at, event_id);
  over no value null, but a count or distinct_count 0; most_frequent ties alphabetical; a
  list holds the `limit` most frequent values (ties alphabetical), listed alphabetically;
- `{segment: name}`: membership of that segment's audience (sendability included, holdouts
  not applied); an email audience holds only email-sendable contacts.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import yaml
from conftest import PROJECT_DIR
from hypothesis import strategies as st

Rule = dict[str, Any]
NUMBERS = [0, 1, 2, 3, 5, 10, 30, 50, 90, 100, 365, 0.5, 0.9, 12.5]
TEXTS = [
    "engaged",
    "lapsing",
    "dormant",
    "never_engaged",
    "no_email_history",
    "new",
    "active",
    "loyal",
    "inactive",
    "churned",
    "prospect",
    "champions",
    "loyal_customers",
    "at_risk",
    "hibernating",
    "awareness",
    "consideration",
    "conversion",
    "mobile",
    "desktop",
    "tablet",
    "DE",
    "FR",
    "US",
    "CH",
    "web_form",
    "store",
    "newsletter",
    "social",
    "other",
    "direct",
    "organic_search",
    "paid_search",
    "paid_social",
    "email",
    "affiliate",
    "unassigned",
    "shoes",
    "bags",
    "outdoor",
    "/c/shoes",
    "Europe/Berlin",
    "Asia/Tokyo",
    "de",
    "en",
    "Ana",
    "blue",
    "25_34",
    "111",
]
LIST_ITEMS = [
    "vip",
    "eco_conscious",
    "newsletter",
    "running",
    "yoga",
    "paid_search",
    "organic_search",
    "direct",
    "paid_social",
    "email",
    "affiliate",
    "shoes",
    "bags",
    "outdoor",
    "red shoes",
    "bag",
    "trail runners",
]
EVENT_TYPES = [
    "email_delivered",
    "email_opened",
    "email_clicked",
    "email_bounced",
    "page_view",
    "product_view",
    "add_to_cart",
    "purchase",
    "refund",
    "site_search",
    "loyalty_points_earned",
    "subscribe",
]
EVENT_PROPERTIES = {
    "category": "text",
    "device_type": "text",
    "utm_source": "text",
    "utm_medium": "text",
    "bounce_type": "text",
    "revenue": "number",
    "quantity": "number",
    "points": "number",
}
OPS = {
    "number": ["=", "!=", "<", "<=", ">", ">=", "in", "not in", "between", "is null", "is not null"],
    "date": ["=", "!=", "<", "<=", ">", ">=", "between", "is null", "is not null"],
    "timestamp": ["=", "!=", "<", "<=", ">", ">=", "between", "is null", "is not null"],
    "text": ["=", "!=", "in", "not in", "is null", "is not null"],
    "boolean": ["=", "!=", "is null", "is not null"],
    "list": ["contains", "is null", "is not null"],
}


def feature_kinds() -> dict[str, str]:
    """Each documented column of contact_features and contact_traits (the traits file's traits) and the
    kind of value it holds (from its data_type)."""
    models = yaml.safe_load((PROJECT_DIR / "models/marts/contacts/_contacts__models.yml").read_text())["models"]
    columns = [column for model in models if model["name"] in ("contact_features", "contact_traits")
               for column in model["columns"]]  # fmt: skip
    kinds = {}
    for column in columns:
        data_type = column["data_type"].lower()
        if data_type.endswith("[]"):
            kinds[column["name"]] = "list"
        elif data_type.startswith("bool"):
            kinds[column["name"]] = "boolean"
        elif data_type.startswith("timestamp"):
            kinds[column["name"]] = "timestamp"
        elif data_type == "date":
            kinds[column["name"]] = "date"
        elif data_type.split("(")[0] in ("integer", "bigint", "decimal", "double"):
            kinds[column["name"]] = "number"
        else:
            kinds[column["name"]] = "text"
    return kinds


def _values(kind: str, as_of: dt.date) -> st.SearchStrategy[Any]:
    if kind == "number":
        return st.sampled_from(NUMBERS)
    if kind == "text":
        return st.sampled_from(TEXTS)
    if kind == "boolean":
        return st.booleans()
    if kind == "list":
        return st.sampled_from(LIST_ITEMS)
    days = st.sampled_from([0, 1, 7, 30, 90, 365, 3650, 12000])
    if kind == "date":
        return days.map(lambda n: (as_of - dt.timedelta(days=n)).isoformat())
    return days.map(lambda n: f"{as_of - dt.timedelta(days=n)} 12:00:00")


@st.composite
def _comparison(draw: st.DrawFn, kind: str, as_of: dt.date) -> tuple[str, Any]:
    op = draw(st.sampled_from(OPS[kind]))
    values = _values(kind, as_of)
    if op in ("is null", "is not null"):
        return op, None
    if op in ("in", "not in"):
        return op, draw(st.lists(values, min_size=1, max_size=3))
    if op == "between":
        low, high = draw(values), draw(values)
        return op, sorted([low, high])
    return op, draw(values)


@st.composite
def _column_leaf(draw: st.DrawFn, kinds: dict[str, str], as_of: dt.date) -> Rule:
    column = draw(st.sampled_from(sorted(name for name in kinds if name not in ("contact_id", "as_of_date"))))
    op, value = draw(_comparison(kinds[column], as_of))
    return {"column": column, "op": op} | ({} if value is None else {"value": value})


def _where(draw: st.DrawFn, as_of: dt.date) -> list[Rule]:
    where = []
    for prop in draw(st.lists(st.sampled_from(sorted(EVENT_PROPERTIES)), max_size=2, unique=True)):
        op, value = draw(_comparison(EVENT_PROPERTIES[prop], as_of))
        where.append({"property": prop, "op": op} | ({} if value is None else {"value": value}))
    return where


@st.composite
def _condition(draw: st.DrawFn, as_of: dt.date, filtered: bool = True) -> Rule:
    """An event type, sometimes with `where` filters."""
    condition: Rule = {"event": draw(st.sampled_from(EVENT_TYPES))}
    where = _where(draw, as_of) if filtered and draw(st.booleans()) else []
    return condition | ({"where": where} if where else {})


def _window_keys(draw: st.DrawFn) -> Rule:
    window = draw(st.sampled_from(["ever", "within", "between"]))
    if window == "within":
        return {"within_days": draw(st.sampled_from([1, 7, 30, 90, 365]))}
    if window == "between":
        low = draw(st.sampled_from([0, 1, 7, 30, 90]))
        return {"between_days": [low, low + draw(st.sampled_from([1, 30, 300]))]}
    return {}


@st.composite
def _event_leaf(draw: st.DrawFn, as_of: dt.date) -> Rule:
    rule: Rule = draw(_condition(as_of)) | _window_keys(draw)
    if draw(st.booleans()):
        rule["min_count"] = draw(st.integers(1, 3))
    return rule


@st.composite
def _habit_leaf(draw: st.DrawFn, as_of: dt.date) -> Rule:
    of = draw(st.integers(1, 8))
    period = draw(st.sampled_from(["week", "month"]))
    return draw(_condition(as_of)) | {"in_periods": {"k": draw(st.integers(1, of)), "of": of, "period": period}}


@st.composite
def _return_leaf(draw: st.DrawFn, as_of: dt.date) -> Rule:
    rule: Rule = draw(_condition(as_of)) | {"returned_after_days": draw(st.sampled_from([1, 7, 30, 60]))}
    return rule | _window_keys(draw) | ({"min_count": 2} if draw(st.booleans()) else {})


# Event types in the order the generated data has them (property_data.py), some at one moment:
# sequences drawn along them complete often enough to test the matching, ties included.
FLOWS = [
    ["page_view", "product_view", "add_to_cart", "checkout_started"],
    ["email_delivered", "email_opened", "email_clicked"],
    ["purchase", "purchase", "refund"],
]


@st.composite
def _sequence_leaf(draw: st.DrawFn, as_of: dt.date) -> Rule:
    length = draw(st.integers(2, 5))
    flow = draw(st.sampled_from([None, *FLOWS]))
    if flow is None:
        names = [draw(st.sampled_from(EVENT_TYPES)) for _ in range(length)]
    else:
        picked = draw(st.lists(st.sampled_from(range(len(flow))), min_size=2, max_size=min(length, len(flow))))
        names = [flow[index] for index in sorted(picked)]
    steps: list[Rule] = [draw(_condition(as_of)) | {"event": names[0]}]
    for name in names[1:]:
        step = draw(_condition(as_of, filtered=False)) | {"event": name}
        if draw(st.booleans()):
            step = {"not": step}
        timing = draw(st.sampled_from(["none", "hours", "days"]))
        if timing == "hours":
            step["then_within_hours"] = draw(st.sampled_from([1, 24, 48]))
        elif timing == "days":
            step["then_within_days"] = draw(st.sampled_from([1, 7, 30]))
        steps.append(step)
    rule: Rule = {"sequence": steps} | _window_keys(draw)
    return rule | ({"min_count": 2} if draw(st.booleans()) else {})


AGGREGATES: dict[str, list[str | None]] = {
    "count": [None],
    "sum": ["revenue", "quantity", "points"],
    "avg": ["revenue", "quantity", "points"],
    "min": ["revenue", "quantity", "occurred_at"],
    "max": ["revenue", "points", "occurred_at"],
    "first": ["category", "device_type", "revenue", "occurred_at"],
    "last": ["category", "utm_source", "quantity", "occurred_at"],
    "most_frequent": ["category", "device_type", "utm_source"],
    "distinct_count": ["category", "device_type", "quantity"],
    "list": ["category", "device_type", "utm_medium"],
}


def trait_data_type(trait: Rule) -> str:
    """The data_type a trait's column declares for its aggregate and value."""
    aggregate, value = trait["aggregate"], str(trait.get("value"))
    if aggregate in ("count", "distinct_count"):
        return "bigint"
    if aggregate == "list":
        return "varchar[]"
    if aggregate == "most_frequent" or EVENT_PROPERTIES.get(value) == "text":
        return "varchar"
    return "timestamp" if value == "occurred_at" else "double"


@st.composite
def traits(draw: st.DrawFn, as_of: dt.date, count: int) -> list[Rule]:
    """Random trait declarations, named trait_<i>."""
    drawn = []
    for i in range(count):
        aggregate = draw(st.sampled_from(sorted(AGGREGATES)))
        value = draw(st.sampled_from(AGGREGATES[aggregate]))
        trait: Rule = {"name": f"trait_{i}", "aggregate": aggregate} | ({} if value is None else {"value": value})
        trait |= draw(_condition(as_of))
        window = draw(st.sampled_from(["keys", "last_n"]))
        trait |= {"last_n": draw(st.integers(1, 4))} if window == "last_n" else _window_keys(draw)
        if aggregate == "list" and draw(st.booleans()):
            trait["limit"] = draw(st.integers(1, 3))
        drawn.append(trait)
    return drawn


def trait_value(trait: Rule, events: Sequence[Mapping[str, Any]], as_of: dt.date) -> Any:
    """One trait of one person, from the person's kept events."""
    start, stop = _window(trait, as_of)
    matched = sorted(
        (event for event in events if start <= event["occurred_at"] < stop and _matches(trait, event)),
        key=lambda event: (event["occurred_at"], event["event_id"]),
    )
    if "last_n" in trait:
        matched = matched[-trait["last_n"] :]
    if trait["aggregate"] == "count":
        return len(matched)
    column = "revenue_reporting" if trait["value"] == "revenue" else str(trait["value"])
    values = [event[column] for event in matched if event[column] is not None]
    counts = Counter(values)
    by_frequency = sorted(counts, key=lambda item: (-counts[item], item))
    if trait["aggregate"] == "distinct_count":
        return len(counts)
    if not values:
        return None
    return {
        "sum": lambda: sum(values),
        "avg": lambda: sum(values) / len(values),
        "min": lambda: min(values),
        "max": lambda: max(values),
        "first": lambda: values[0],
        "last": lambda: values[-1],
        "most_frequent": lambda: by_frequency[0],
        "list": lambda: sorted(by_frequency[: trait.get("limit", len(by_frequency))]),
    }[trait["aggregate"]]()


def rules(kinds: dict[str, str], as_of: dt.date, earlier: list[str]) -> st.SearchStrategy[Rule]:
    """Random rule trees: leaves over contact_features columns, events and the `earlier` segments."""
    leaves = [
        _column_leaf(kinds, as_of),
        _column_leaf(kinds, as_of),
        _event_leaf(as_of),
        _habit_leaf(as_of),
        _return_leaf(as_of),
        _sequence_leaf(as_of),
    ]
    if earlier:
        leaves.append(st.sampled_from(earlier).map(lambda name: {"segment": name}))
    return st.recursive(
        st.one_of(leaves),
        lambda children: st.one_of(
            st.lists(children, min_size=1, max_size=3).map(lambda items: {"all": items}),
            st.lists(children, min_size=1, max_size=3).map(lambda items: {"any": items}),
            children.map(lambda item: {"not": item}),
        ),
        max_leaves=6,
    )


def _compare(actual: Any, op: str, value: Any) -> bool:
    """One comparison as the docs word it: with an empty value, false (`is null`/`is not null` aside)."""
    if op == "is null":
        return actual is None
    if op == "is not null":
        return actual is not None
    if actual is None:
        return False
    if op == "contains":
        return value in actual

    def typed(item: Any) -> Any:
        if isinstance(actual, Decimal) and isinstance(item, (int, float)):
            return Decimal(str(item))
        if isinstance(actual, dt.datetime):
            return dt.datetime.fromisoformat(item)
        if isinstance(actual, dt.date):
            return dt.date.fromisoformat(item)
        return item

    if op == "in":
        return any(actual == typed(item) for item in value)
    if op == "not in":
        return all(actual != typed(item) for item in value)
    if op == "between":
        return bool(typed(value[0]) <= actual <= typed(value[1]))
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    return compare[op](actual, typed(value))


def _matches(condition: Rule, event: Mapping[str, Any]) -> bool:
    """Whether an event is of the condition's type and passes its `where` filters."""
    if event["event_type"] != condition["event"]:
        return False
    if condition["event"] == "email_opened" and event["is_machine_open"] is True:
        return False
    column = {"revenue": "revenue_reporting"}
    return all(
        _compare(event[column.get(f["property"], f["property"])], f["op"], f.get("value"))
        for f in condition.get("where", [])
    )


def _window(rule: Rule, as_of: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The [start, stop) of a leaf's within_days or between_days, in whole UTC days up to the end of as_of."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    if "within_days" in rule:
        return end - dt.timedelta(days=rule["within_days"]), end
    if "between_days" in rule:
        return end - dt.timedelta(days=rule["between_days"][1]), end - dt.timedelta(days=rule["between_days"][0])
    return dt.datetime.min, end


def _event_count(rule: Rule, events: Sequence[Mapping[str, Any]], as_of: dt.date) -> int:
    start, stop = _window(rule, as_of)
    return sum(1 for event in events if start <= event["occurred_at"] < stop and _matches(rule, event))


def _periods_held(rule: Rule, events: Sequence[Mapping[str, Any]], as_of: dt.date) -> int:
    """How many of the last `of` whole periods hold a matching event."""
    habit = rule["in_periods"]

    def period(day: dt.date) -> dt.date:
        return day.replace(day=1) if habit["period"] == "month" else day - dt.timedelta(days=day.weekday())

    current = period(as_of + dt.timedelta(days=1))  # the first period that is not whole yet
    last: list[dt.date] = []
    while len(last) < habit["of"]:
        current = period(current - dt.timedelta(days=1))
        last.append(current)
    return len({period(event["occurred_at"].date()) for event in events if _matches(rule, event)} & set(last))


def _returns(rule: Rule, events: Sequence[Mapping[str, Any]], as_of: dt.date) -> int:
    start, stop = _window(rule, as_of)
    moments = sorted({event["occurred_at"] for event in events if _matches(rule, event)})
    gap = dt.timedelta(days=rule["returned_after_days"])
    return sum(1 for before, moment in itertools.pairwise(moments) if start <= moment < stop and moment - before >= gap)


def _sequences(rule: Rule, events: Sequence[Mapping[str, Any]], as_of: dt.date) -> int:
    """The first-step events in the window from which the whole sequence can be completed."""
    steps = rule["sequence"]

    def follows(step: Rule, anchor: Mapping[str, Any], chain: list[Any]) -> list[Mapping[str, Any]]:
        hours = step.get("then_within_hours", 24 * step.get("then_within_days", 0)) or None
        condition = step.get("not", step)
        return [
            event
            for event in events
            if _matches(condition, event)
            and event["occurred_at"] >= anchor["occurred_at"]
            and event["event_row_id"] not in chain
            and (hours is None or event["occurred_at"] <= anchor["occurred_at"] + dt.timedelta(hours=hours))
        ]

    def completes(index: int, anchor: Mapping[str, Any], chain: list[Any]) -> bool:
        if index == len(steps):
            return True
        step = steps[index]
        found = follows(step, anchor, chain)
        if "not" in step:
            return not found and completes(index + 1, anchor, chain)
        return any(completes(index + 1, event, [*chain, event["event_row_id"]]) for event in found)

    start, stop = _window(rule, as_of)
    return sum(
        1
        for event in events
        if start <= event["occurred_at"] < stop
        and _matches(steps[0], event)
        and completes(1, event, [event["event_row_id"]])
    )


def evaluate(
    segments: list[Rule],
    features: Sequence[Mapping[str, Any]],
    events: Mapping[str, Sequence[Mapping[str, Any]]],
    as_of: dt.date,
) -> dict[str, set[str]]:
    """Each segment's audience (contact ids), before holdouts, from the features and kept events."""
    declared = {segment["name"]: segment for segment in segments}
    members: dict[str, set[str]] = {}

    def holds(rule: Rule, row: Mapping[str, Any]) -> bool:
        if "all" in rule:
            return all(holds(item, row) for item in rule["all"])
        if "any" in rule:
            return any(holds(item, row) for item in rule["any"])
        if "not" in rule:
            return not holds(rule["not"], row)
        if "segment" in rule:
            return row["contact_id"] in audience(rule["segment"])
        contact_events = events.get(row["contact_id"], [])
        if "sequence" in rule:
            return _sequences(rule, contact_events, as_of) >= rule.get("min_count", 1)
        if "in_periods" in rule:
            return _periods_held(rule, contact_events, as_of) >= rule["in_periods"]["k"]
        if "returned_after_days" in rule:
            return _returns(rule, contact_events, as_of) >= rule.get("min_count", 1)
        if "event" in rule:
            return _event_count(rule, events.get(row["contact_id"], []), as_of) >= rule.get("min_count", 1)
        return _compare(row[rule["column"]], rule["op"], rule.get("value"))

    def audience(name: str) -> set[str]:
        if name not in members:
            segment = declared[name]
            email = segment.get("email_audience", True)
            members[name] = {
                row["contact_id"]
                for row in features
                if holds(segment["rule"], row) and (not email or row["is_email_sendable"])
            }
        return members[name]

    for name in declared:
        audience(name)
    return members
