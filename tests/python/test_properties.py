"""Invariants that hold on random raw data, with Hypothesis (README "Tests"; the design is in
docs/decisions.md "Property tests").

Each example is a batch of small random data sets (property_data.py), each under its own ids,
so that they share one warehouse: at this size a build costs about ten seconds whatever the
data, so the data sets are built together and checked one by one. Seven properties:

1. consent: no contact who is not email-sendable is in an email audience or an export;
2. erasure: nothing of an erased person (id, email, email hash, event id) is in any model
   downstream of staging, the history, the snapshot, the published marts or an export;
3. accounting: rows in = kept + rejected + collapsed + erased, per landing table, with
   rows in and the erased rows counted here from the files;
4. determinism: the same landing built twice gives identical marts;
5. incremental = full: the landing delivered as daily batches, run day by day, gives the
   marts of one full build of the same batches;
6. point in time: as_of = d on all the data equals as_of = d on the data cut at the end of
   d (erasure requests and contact records kept whole, as the definitions judge them: cut_at);
7. segment semantics: random rule trees over random columns, operators and values, events,
   sequences, habits and returns, and random computed traits, decided by an independent
   Python reading of the rule language and of docs/traits.md (segment_evaluator.py), give
   exactly the mart's seg_ columns and contact_traits.

`make test` checks PROPERTY_DATASETS=25 data sets per property, in one batch, with a fixed
seed; `scripts/check_properties.py` runs 1,000 per property (PROPERTY_BATCH per build,
PROPERTY_SEED, PROPERTY_SHRINK=0 to report a failure unshrunk). PROPERTY_WORKDIR=DIR keeps
the last example's landing files and warehouses there, to look into a failure.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from conftest import PROJECT_DIR, SEGMENTS, Build, assert_same_tables, copy_project, full_build
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import UnsatisfiedAssumption
from property_data import AS_OF, Dataset, Row, Shape, generate, shapes, write_landing
from segment_evaluator import evaluate, feature_kinds, rules, trait_data_type, trait_value, traits

DATASETS = int(os.environ.get("PROPERTY_DATASETS", "25"))
BATCH = min(DATASETS, int(os.environ.get("PROPERTY_BATCH", "25")))
ROUNDS = -(-DATASETS // BATCH)
SEED = os.environ.get("PROPERTY_SEED")
REPORT = os.environ.get("PROPERTY_REPORT")
SHRINK = os.environ.get("PROPERTY_SHRINK", "1") != "0"
RANDOM_SEGMENTS = 16
RANDOM_TRAITS = 8
MARTS = (
    "contact_features",
    "contact_segments",
    "contact_segment_conditions",
    "segment_overlaps",
    "source_row_accounting",
    "rejected_rows",
)
ERASURE_MACHINERY = ("int_erasure_requests_admitted", "int_erased_contacts", "int_erased_emails")
MESS = (
    "duplicate_rows",
    "shared_emails",
    "erasures",
    "suppressions",
    "exclusions",
    "replays",
    "offsets",
    "dirty",
    "tags_and_attributes",
)
NO_TESTS = ("--exclude", "resource_type:test", "resource_type:unit_test")

Check = Callable[..., None]


def batches() -> st.SearchStrategy[list[Shape]]:
    return st.lists(shapes(), min_size=BATCH, max_size=BATCH)


def reported(name: str) -> Callable[[Check], Check]:
    """Appends each example's data set count and time to PROPERTY_REPORT (JSON lines), when set."""

    def decorate(check: Check) -> Check:
        @functools.wraps(check)
        def timed(*args: Any, **kwargs: Any) -> None:
            started = time.monotonic()
            outcome = "passed"
            try:
                check(*args, **kwargs)
            except UnsatisfiedAssumption:
                outcome = "skipped"
                raise
            except BaseException:
                outcome = "failed"
                raise
            finally:
                if REPORT and outcome != "skipped":
                    line = {
                        "property": name,
                        "datasets": BATCH,
                        "outcome": outcome,
                        "seconds": round(time.monotonic() - started, 1),
                    }
                    with open(REPORT, "a") as handle:
                        handle.write(json.dumps(line) + "\n")

        return timed

    return decorate


def property_settings(test: Check) -> Check:
    """ROUNDS examples of BATCH data sets, a fixed seed unless PROPERTY_SEED is given, and no
    deadline (an example is several dbt builds)."""
    test = settings(
        max_examples=ROUNDS,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
        phases=[phase for phase in Phase if SHRINK or phase is not Phase.shrink],
    )(test)
    return seed(int(SEED))(test) if SEED is not None else test


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """A temporary folder, or PROPERTY_WORKDIR to keep the last example's landing and warehouses."""
    if os.environ.get("PROPERTY_WORKDIR"):
        yield Path(os.environ["PROPERTY_WORKDIR"])
        return
    with tempfile.TemporaryDirectory(prefix="properties-") as folder:
        yield Path(folder)


def datasets_of(batch: list[Shape]) -> list[Dataset]:
    # Hypothesis tries the simplest batch first, data sets without a single event: it would take
    # the one example `make test` runs. Such a batch is skipped (it does not count as an example).
    assume(any(shape.events for shape in batch))
    return [generate(shape, f"p{i:02d}") for i, shape in enumerate(batch)]


EXAMPLES = itertools.count()


def fresh(folder: Path) -> Path:
    """A new folder for an example (dbt-duckdb keeps a connection to each database file it built in
    this process: a file deleted and built again at the same path would go to the old one)."""
    for previous in folder.parent.glob(f"{folder.name}-*"):
        shutil.rmtree(previous, ignore_errors=True)
    new = folder.parent / f"{folder.name}-{next(EXAMPLES)}"
    new.mkdir(parents=True)
    return new


# --- 1, 2, 3 and 7: one build --------------------------------------------------------------


def project_with_segments(root: Path, extra: list[dict[str, Any]], extra_traits: list[dict[str, Any]]) -> Path:
    """A copy of the project whose segment file also declares `extra` and whose traits file also declares
    `extra_traits` (each with its column)."""
    project = root / "project"
    if not project.exists():
        copy_project(project)
    source = PROJECT_DIR / "models/marts/segments/_segments__models.yml"
    spec = yaml.safe_load(source.read_text())
    model = spec["models"][0]
    model["config"]["meta"]["segments"].extend(extra)
    last = max(i for i, column in enumerate(model["columns"]) if column["name"].startswith("seg_"))
    model["columns"][last + 1 : last + 1] = [
        {"name": f"seg_{segment['name']}", "data_type": "boolean", "description": "A random segment."}
        for segment in extra
    ]
    (project / source.relative_to(PROJECT_DIR)).write_text(yaml.safe_dump(spec, sort_keys=False))
    traits_file = PROJECT_DIR / "models/marts/contacts/_contacts__models.yml"
    spec = yaml.safe_load(traits_file.read_text())
    model = next(model for model in spec["models"] if model["name"] == "contact_traits")
    model["config"]["meta"]["traits"].extend(extra_traits)
    model["columns"][-1:-1] = [
        {"name": trait["name"], "data_type": trait_data_type(trait), "description": "A random trait."}
        for trait in extra_traits
    ]
    (project / traits_file.relative_to(PROJECT_DIR)).write_text(yaml.safe_dump(spec, sort_keys=False))
    return project


@st.composite
def random_segments(draw: st.DrawFn, catalogue: list[str]) -> list[dict[str, Any]]:
    kinds = feature_kinds()
    segments: list[dict[str, Any]] = []
    for i in range(RANDOM_SEGMENTS):
        earlier = catalogue + [segment["name"] for segment in segments]
        segments.append(
            {
                "name": f"random_{i}",
                "owner": "properties",
                "email_audience": draw(st.booleans()),
                "rule": draw(rules(kinds, AS_OF, earlier)),
            }
        )
    return segments


def catalogue_segments() -> list[dict[str, Any]]:
    """The segment file's segments, with `{{ var('x') }}` values read from dbt_project.yml."""
    spec = yaml.safe_load((PROJECT_DIR / "models/marts/segments/_segments__models.yml").read_text())
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["contact_segmentation"]

    def rendered(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: rendered(item) for key, item in value.items()}
        if isinstance(value, list):
            return [rendered(item) for item in value]
        match = re.fullmatch(r"\{\{\s*var\('(\w+)'\)\s*\}\}", value) if isinstance(value, str) else None
        return project_vars[match.group(1)] if match else value

    segments: list[dict[str, Any]] = rendered(spec["models"][0]["config"]["meta"]["segments"])
    return segments


def namespace_of(contact_id: str) -> str:
    return contact_id.split("-")[0]


def check_accounting(build: Build, datasets: list[Dataset]) -> None:
    """Rows in as counted here from the files, rows erased as the erasure requests imply, and closure."""
    accounting = {
        row[0]: row[1:]
        for row in build.query(
            "select source_table, rows_in, rows_kept, rows_rejected, rows_collapsed, rows_erased"
            " from source_row_accounting"
        )
    }
    erased = set().union(*(data.erased_ids for data in datasets))
    for table in ("contacts", "events", "contact_tags", "contact_attributes", "suppressions", "erasure_requests"):
        rows = [row for data in datasets for row in data.tables[table]]
        rows_in, kept, rejected, collapsed, rows_erased = accounting[table]
        assert rows_in == len(rows), f"{table}: rows_in {rows_in}, the files hold {len(rows)}"
        assert rows_in == kept + rejected + collapsed + rows_erased, f"{table} does not add up: {accounting[table]}"
        if table in ("contacts", "events", "contact_tags", "contact_attributes"):
            expected = sum(1 for row in rows if row.get("contact_id") in erased)
            assert rows_erased == expected, f"{table}: {rows_erased} rows erased, the requests erase {expected}"


def records(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def kept_events(build: Build) -> dict[str, list[Row]]:
    """The kept events by person, with the columns rules and traits read."""
    events: dict[str, list[Row]] = {}
    with build.connect() as con:
        for event in records(
            con,
            "select contact_id, event_row_id, event_id, event_type, occurred_at, is_machine_open, category,"
            " device_type, utm_source, utm_medium, bounce_type, revenue_reporting, quantity, points"
            " from int_events_resolved",
        ):
            events.setdefault(event["contact_id"], []).append(event)
    return events


def catalogue_traits() -> list[dict[str, Any]]:
    models = yaml.safe_load((PROJECT_DIR / "models/marts/contacts/_contacts__models.yml").read_text())["models"]
    declared: list[dict[str, Any]] = next(m for m in models if m["name"] == "contact_traits")["config"]["meta"][
        "traits"
    ]
    return declared


def check_traits(build: Build, declared: list[dict[str, Any]]) -> None:
    """Every trait of every person equals the Python evaluator's reading of its declaration."""
    events = kept_events(build)
    with build.connect() as con:
        rows = records(con, "select * from contact_traits")
    assert len(rows) == build.scalar("select count(*) from contact_features")
    for trait in declared:
        for row in rows:
            expected, got = trait_value(trait, events.get(row["contact_id"], []), AS_OF), row[trait["name"]]
            same = (
                got == pytest.approx(float(expected), rel=1e-9)
                if isinstance(expected, (int, float, Decimal)) and got is not None
                else got == expected
            )
            assert same, f"trait {json.dumps(trait)} of {row['contact_id']}: the mart has {got!r}, not {expected!r}"


def check_segments(build: Build, segments: list[dict[str, Any]]) -> None:
    """Every seg_ column (with its holdout, before holdouts apply) equals the Python evaluator's audience."""
    with build.connect() as con:
        features = records(
            con,
            "select features.*, traits.* exclude (contact_id, as_of_date) from contact_features as features"
            " inner join contact_traits as traits on features.contact_id = traits.contact_id",
        )
        marts = records(con, "select * from contact_segments")
    expected = evaluate(segments, features, kept_events(build), AS_OF)
    for segment in segments:
        name = segment["name"]
        holdout = f"seg_{name}_holdout"
        got = {row["contact_id"] for row in marts if row[f"seg_{name}"] or row.get(holdout)}
        missing, extra = sorted(expected[name] - got)[:5], sorted(got - expected[name])[:5]
        assert not missing and not extra, (
            f"segment {name} {json.dumps(segment['rule'])}: the mart lacks {missing} and has {extra} "
            f"beyond the evaluator's {len(expected[name])} members"
        )


def abandonment_sequences() -> list[dict[str, Any]]:
    """has_abandoned_cart and has_abandoned_browse (docs/activity.md) written as sequences, with the
    windows of dbt_project.yml: a cart with no purchase at or after it; a product view with no cart
    and no purchase at or after it (docs/segments.md "Sequences")."""
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["contact_segmentation"]
    cart = [{"event": "add_to_cart"}, {"not": {"event": "purchase"}}]
    browse = [{"event": "product_view"}, {"not": {"event": "add_to_cart"}}, {"not": {"event": "purchase"}}]
    return [
        {"name": "cart_abandonment_sequence", "owner": "properties", "email_audience": False,
         "rule": {"sequence": cart, "within_days": project_vars["cart_abandonment_days"]}},
        {"name": "browse_abandonment_sequence", "owner": "properties", "email_audience": False,
         "rule": {"sequence": browse, "within_days": project_vars["browse_abandonment_days"]}},
    ]  # fmt: skip


def check_abandonment_sequences(build: Build) -> None:
    """The sequences hold for exactly the contacts whose abandonment columns are true."""
    for column, segment in (("has_abandoned_cart", "cart_abandonment_sequence"),
                            ("has_abandoned_browse", "browse_abandonment_sequence")):  # fmt: skip
        differ = build.query(
            f"select features.contact_id, features.{column}, segments.seg_{segment}"
            " from contact_features as features inner join contact_segments as segments using (contact_id)"
            f" where features.{column} is distinct from segments.seg_{segment} limit 5"
        )
        assert not differ, f"{segment} differs from {column}: {differ}"


def check_consent(build: Build, exports: Path, segments: list[dict[str, Any]]) -> None:
    """No unsendable contact in an email audience or an export, and the contacts that plainly cannot
    be sent to (invalid email, a hard bounce kept, a suppression by as_of) are not sendable."""
    sendable = dict(build.query("select contact_id, is_email_sendable from contact_features"))
    for segment in segments:
        if segment.get("email_audience", True):
            bad = build.query(
                f"select contact_id from contact_segments where seg_{segment['name']} and not is_email_sendable limit 3"
            )
            assert not bad, f"email audience {segment['name']} holds unsendable {bad}"
    plainly_not = {
        row[0]
        for row in build.query(
            "select contact_id from contact_features where not is_email_valid"
            " union select contact_id from int_events_resolved where event_type = 'email_bounced'"
            "   and bounce_type = 'hard'"
            " union select features.contact_id from contact_features as features"
            "   inner join int_suppressions_admitted as suppressions on features.email = suppressions.email"
            f"   where suppressions.suppressed_at < date '{AS_OF}' + 1"
        )
    }
    wrongly = sorted(contact for contact in plainly_not if sendable.get(contact))
    assert not wrongly, f"sendable though invalid, hard-bounced or suppressed: {wrongly[:5]}"
    exported = {row["contact_id"] for path in exports.glob("*.csv") for row in _read_csv(path) if row.get("contact_id")}
    unsendable = sorted(contact for contact in exported if not sendable.get(contact))
    assert not unsendable, f"exported though not email-sendable: {unsendable[:5]}"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def check_erasure(build: Build, published: Path, exports: Path, datasets: list[Dataset]) -> None:
    """No token of an erased person downstream of staging, in the published file or in an export."""
    tokens = sorted(set().union(*(data.erased_tokens for data in datasets)))
    if not tokens:
        return
    pattern = re.compile("|".join(re.escape(token) for token in tokens))
    found: list[str] = []
    for db in (build.db_path, published):
        with duckdb.connect(str(db)) as con:
            relations = con.execute(
                "select table_schema, table_name from information_schema.tables"
                # The landing (raw_files: views over the files) and staging hold what landed.
                " where table_name not like 'stg_%' and table_schema not in ('raw_files', 'main_reference')"
            ).fetchall()
            for schema, table in relations:
                if table in ERASURE_MACHINERY:
                    continue
                text = "\n".join(map(str, con.execute(f'select * from "{schema}"."{table}"').fetchall()))
                match = pattern.search(text)
                if match:
                    found.append(f"{db.name}:{schema}.{table} holds {match.group(0)}")
    for path in exports.rglob("*"):
        if path.is_file():
            match = pattern.search(path.read_text(errors="replace"))
            if match:
                found.append(f"export {path.name} holds {match.group(0)}")
    assert not found, "erased person found: " + "; ".join(found[:5])


def publish_and_export(build: Build, root: Path) -> tuple[Path, Path]:
    """Publish the build's marts and export every segment, as readers and syncs get them."""
    copy = build.copy_to(root / "copy.duckdb")
    published, exports = root / "published.duckdb", root / "exports"
    for command in (
        # --allow-drop: these data sets are dirty on purpose (a quarter of a batch rejected is common),
        # which the publish audit rightly refuses; what is checked here is what readers then get.
        ["publish", "--db", str(copy), "--published", str(published), "--allow-drop"],
        [
            "export",
            "--all",
            "--layout",
            "lists",
            "--with-sha256",
            "--db",
            str(published),
            "--out",
            str(exports),
            "--quiet",
        ],
    ):
        done = subprocess.run([*SEGMENTS, *command], cwd=PROJECT_DIR, capture_output=True, text=True)
        assert done.returncode == 0, f"{command[0]} failed: {done.stderr.strip()[-500:]}"
    return published, exports


@property_settings
@given(
    batch=batches(),
    extra=random_segments([segment["name"] for segment in catalogue_segments()]),
    extra_traits=traits(AS_OF, RANDOM_TRAITS),
)
@reported("consent, erasure, accounting, segment semantics, traits")
def test_one_build_keeps_consent_erasure_accounting_and_segment_semantics(
    workdir: Path, batch: list[Shape], extra: list[dict[str, Any]], extra_traits: list[dict[str, Any]]
) -> None:
    root = fresh(workdir / "one_build")
    datasets = datasets_of(batch)
    landing = write_landing(datasets, root / "landing")
    extra = extra + abandonment_sequences()
    project = project_with_segments(workdir, extra, extra_traits)
    build = full_build(root, "warehouse", landing, AS_OF, project)
    segments = catalogue_segments() + extra
    check_accounting(build, datasets)
    check_traits(build, catalogue_traits() + extra_traits)
    check_segments(build, segments)
    check_abandonment_sequences(build)
    published, exports = publish_and_export(build, root)
    check_consent(build, exports, segments)
    check_erasure(build, published, exports, datasets)


# --- 4: determinism ------------------------------------------------------------------------


@property_settings
@given(batch=batches())
@reported("determinism")
def test_the_same_landing_built_twice_gives_identical_marts(workdir: Path, batch: list[Shape]) -> None:
    root = fresh(workdir / "determinism")
    landing = write_landing(datasets_of(batch), root / "landing")
    first = full_build(root, "first", landing, AS_OF)
    second = full_build(root, "second", landing, AS_OF)
    assert_same_tables(second, first, (*MARTS, "segment_daily_sizes", "segment_membership_changes"))


# --- 5: incremental = full -----------------------------------------------------------------

DAYS = [AS_OF - dt.timedelta(days=n) for n in (3, 2, 1, 0)]


def landing_days(datasets: list[Dataset]) -> Callable[[str, Row], dt.date | None]:
    """Each row's landing day: the day of its time (the first day for older or timeless rows), a
    fifth of the events and contacts later, up to the last day (events up to 60 days late);
    rows of days after the last have not landed."""
    chosen: dict[int, dt.date | None] = {}
    rng = random.Random(sum(len(data.tables["events"]) for data in datasets))
    for data in datasets:
        for table, rows in data.tables.items():
            for row in rows:
                moment = row.get("_utc")
                day = DAYS[0] if moment is None or moment.year > 2030 else max(DAYS[0], moment.date())
                if table in ("events", "contacts") and rng.random() < 0.2 and day <= DAYS[-1]:
                    day = rng.choice([d for d in DAYS if d >= day])
                chosen[id(row)] = day if day <= DAYS[-1] else None
    return lambda table, row: chosen[id(row)]


@property_settings
@given(batch=batches())
@reported("incremental = full")
def test_daily_batches_run_day_by_day_equal_one_full_build(workdir: Path, batch: list[Shape]) -> None:
    root = fresh(workdir / "incremental")
    datasets = datasets_of(batch)
    day_of = landing_days(datasets)
    landing = root / "landing"
    daily = Build(root / "daily.duckdb", root / "daily_target", {"raw_data_path": str(landing)}, reuse_manifest=True)
    for n, day in enumerate(DAYS):
        write_landing(
            datasets,
            landing,
            lambda table, row, day=day: day if day_of(table, row) == day else None,
            placeholder=n == 0,
        )
        daily.env = {"SEGMENTS_AS_OF": day.isoformat()}
        daily.run("build" if n == 0 else "run", *NO_TESTS)
    modes = [row[0] for row in daily.query("select run_mode from int_incremental_runs order by as_of_date")]
    assert modes[1:] == ["delta"] * (len(DAYS) - 1), f"the daily runs were not all delta: {modes}"
    assert_same_tables(daily, full_build(root, "full", landing, DAYS[-1]), MARTS)


# --- 6: point in time ----------------------------------------------------------------------

POINT = AS_OF - dt.timedelta(days=20)


def cut_at(datasets: list[Dataset], day: dt.date) -> list[Dataset]:
    """The data as it stood at the end of `day`: rows timed after it are left out, but for two
    things the definitions judge on all the data, whatever as_of: erasure requests all stay
    (identity.md), and every contact keeps a record, its earliest when none was updated by
    then (landing.md: whether an event, tag or attribute has a contact does not depend on
    as_of, nor therefore which copy of an event id wins; a contact created later is still
    not in the models). Rows without a time stay."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    cut = []
    for data in datasets:
        tables: dict[str, list[Row]] = {}
        for table, rows in data.tables.items():
            keep = table == "erasure_requests"
            tables[table] = [row for row in rows if keep or row.get("_utc") is None or row["_utc"] < end]
        standing = {row["contact_id"] for row in tables["contacts"]}
        earliest: dict[str, Row] = {}
        for row in data.tables["contacts"]:
            if row["contact_id"] not in standing:
                earliest.setdefault(row["contact_id"], row)
        tables["contacts"] += earliest.values()
        cut.append(Dataset(data.ns, tables, data.erased_ids, data.erased_tokens))
    return cut


@property_settings
@given(batch=batches())
@reported("point in time")
def test_a_past_as_of_equals_a_build_on_the_data_cut_at_that_day(workdir: Path, batch: list[Shape]) -> None:
    root = fresh(workdir / "point_in_time")
    datasets = datasets_of(batch)
    everything = full_build(root, "everything", write_landing(datasets, root / "all"), POINT)
    then = full_build(root, "then", write_landing(cut_at(datasets, POINT), root / "cut"), POINT)
    assert_same_tables(everything, then, ("contact_features", "contact_segments", "contact_segment_conditions"))


def test_a_data_set_with_every_kind_of_mess_holds_each_of_them() -> None:
    """The generator makes what the shapes say (so that the properties above see it)."""
    shape = Shape(seed=3, contacts=30, events=300, **{flag: True for flag in MESS})
    data = generate(shape, "p00")
    contacts, events = data.tables["contacts"], data.tables["events"]
    ids_of: dict[str, set[str]] = {}
    for row in contacts:
        if row["contact_id"]:
            ids_of.setdefault(row["email"].strip().lower(), set()).add(row["contact_id"])
    emails = list(ids_of)
    assert sum(len(ids) for ids in ids_of.values()) == 30 < len(contacts), "no duplicate contact rows"
    assert any(len(ids) > 1 for email, ids in ids_of.items() if "@" in email), "no two contacts sharing an email"
    assert any("-at-" in email for email in emails), "no invalid email"
    event_ids = [row["event_id"] for row in events if row["event_id"]]
    assert len(event_ids) > len(set(event_ids)), "no replayed event id"
    assert any(row["occurred_at"][-6:-5] in "+-" and row["occurred_at"][-3] == ":" for row in events if row["_utc"])
    assert any(row["event_id"] == "" or row["_utc"] is None for row in events), "no row to reject"
    kinds = {row["event_type"].strip().lower() for row in events}
    assert {"email_bounced", "refund", "subscribe", "email_unsubscribed"} <= kinds
    assert data.erased_ids and data.erased_tokens >= data.erased_ids
    for table in ("contact_tags", "contact_attributes", "suppressions", "exclusions", "erasure_requests"):
        assert data.tables[table], f"no {table}"
