"""The demo warehouse: builds from the seeds, is deterministic, and matches a file-based load."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
from conftest import DEMO_AS_OF, PROJECT_DIR, SEGMENTS, Build, assert_same_tables

# What records a run or a delivery rather than the data: the manifests and run logs,
# the numbers of load batches and rows (a whole table is registered again on every
# run) and the names of batches (a seed's table, a file's name).
RUN_RECORDS = {"stg_marketing__load_batches", "int_incremental_runs", "load_batches"}
RUN_COLUMNS = {"load_batch_number", "batch_name", "erased_in_run", "judged_in_run", "registered_at", "invocation_id"}


def table_digests(build: Build) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent content hash of every model table, run records left out."""
    tables = [
        r[0]
        for r in build.query("select table_name from information_schema.tables where table_schema = 'main' order by 1")
        if r[0] not in RUN_RECORDS
    ]
    digests = {}
    for table in tables:
        columns = [
            f'"{r[0]}"'
            for r in build.query(f"select column_name from information_schema.columns where table_name = '{table}'")
            if r[0] not in RUN_COLUMNS and not r[0].endswith("_row_id")
        ]
        digests[table] = build.query(
            f"select count(*), coalesce(cast(sum(hash({', '.join(columns)})) as varchar), '') from \"{table}\""
        )[0]
    return digests


def test_demo_builds_with_every_model_and_test(demo: Build) -> None:
    results = demo.first_result.result
    statuses = {str(r.status) for r in results if str(r.node.resource_type) != "exposure"}
    assert statuses <= {"success", "pass"}, statuses
    assert demo.scalar("select count(*) from int_contacts_resolved") > 1500
    assert demo.scalar("select count(*) from int_events_resolved") > 20000
    # The demo data is dirty on purpose: every event rejection reason but invalid_value shows up.
    reasons = {r[0] for r in demo.query("select distinct reason from rejected_rows where source_table = 'events'")}
    assert reasons >= {
        "missing_event_id",
        "missing_contact_id",
        "missing_timestamp",
        "future_timestamp",
        "unknown_event_type",
        "unknown_contact",
        "purchase_without_order_id",
        "missing_fx_rate",
        "duplicate_event_id",
    }


def test_building_twice_gives_identical_tables(demo: Build) -> None:
    before = table_digests(demo)
    demo.run("build")
    after = table_digests(demo)
    assert before.keys() == after.keys()
    assert before == after


PASSED_MODELS = {  # model: the imports that take person_pass_where
    "contact_features": 14,
    "int_contacts_site_traits_evaluated": 3,
    "int_contacts_sendability_evaluated": 5,
    "int_contacts_propensity_features": 12,
}


def test_models_built_in_passes_equal_one_pass(demo: Build, demo_copy: Path, tmp_path: Path) -> None:
    """At 500 persons a pass, the demo's persons are built in 4 passes (the model's statement, then the
    post-hook's inserts), each import filtered to its pass, and contact_features at 250 a pass
    (mart_persons_per_pass) in 8; the rows equal the one-pass build's, for a table, an incremental table
    rebuilt in full, and the mart."""
    persons = demo.scalar("select count(*) from int_contacts_resolved")
    assert persons == 1960
    sizes = {"persons_per_pass": 500, "mart_persons_per_pass": 250}
    passes = Build(demo_copy, tmp_path / "target", {"as_of": DEMO_AS_OF, **sizes})
    passes.run("run", "--full-refresh", "--select", *PASSED_MODELS)
    mart = {"contact_features": PASSED_MODELS["contact_features"]}
    assert_compiled_for_passes(tmp_path / "target", mart, 8)
    assert_compiled_for_passes(tmp_path / "target", {m: n for m, n in PASSED_MODELS.items() if m not in mart}, 4)
    assert_same_tables(passes, demo, tuple(PASSED_MODELS))


def assert_compiled_for_passes(target: Path, imports: dict[str, int], passes: int) -> None:
    """Each model was compiled for `passes` passes: that many of its imports keep the persons of the pass."""
    compiled = target / "compiled" / "contact_segmentation" / "models"
    for model, count in imports.items():
        sql = next(compiled.rglob(f"{model}.sql")).read_text()
        assert sql.count(f"hash(contact_id) % {passes} = getvariable('person_pass__{model}')") == count, model


def test_state_tables_rebuilt_in_passes_equal_one_pass(demo: Build, demo_copy: Path, tmp_path: Path) -> None:
    """A state table rebuilt from every kept event (a full run: here a selection without the run manifest,
    so that each table exists and takes the incremental path, emptied by its pre-hook) is built in passes
    over the persons too: at 500 persons a pass (state_persons_per_pass) its events are read in 4 passes,
    and its rows equal the one-pass build's."""
    state_tables = sorted(
        path.stem for path in (PROJECT_DIR / "models" / "intermediate" / "state" / "tables").glob("*.sql")
    )
    assert len(state_tables) == 9
    # Their passes are sized by state_persons_per_pass alone.
    sizes = {"persons_per_pass": 1_000_000, "state_persons_per_pass": 500}
    passes = Build(demo_copy, tmp_path / "target", {"as_of": DEMO_AS_OF, **sizes})
    passes.run("run", "--select", *state_tables)
    assert_compiled_for_passes(tmp_path / "target", dict.fromkeys(state_tables, 1), 4)
    compiled = tmp_path / "target" / "compiled" / "contact_segmentation" / "models"
    for model in state_tables:  # the events planned inline where read, not held whole (docs/decisions.md)
        assert "events as not materialized (" in next(compiled.rglob(f"{model}.sql")).read_text(), model
    assert_same_tables(passes, demo, tuple(state_tables))


def test_seed_and_file_loads_give_identical_models(demo: Build, tmp_path: Path) -> None:
    from_files = Build(
        tmp_path / "files.duckdb",
        tmp_path / "target",
        {"as_of": DEMO_AS_OF, "raw_data_path": str(PROJECT_DIR / "seeds" / "demo")},
    )
    from_files.run("build")
    seeds, files = table_digests(demo), table_digests(from_files)
    models = [m for m in seeds if m.startswith(("stg_", "int_")) or m == "rejected_rows"]
    assert len(models) >= 12
    assert {m: seeds[m] for m in models} == {m: files[m] for m in models}
    # The accounting too, but for the files' line counts, which seeds do not have: each file's rows
    # are its lines after the header (the demo's CSV files have no blank line or spanning field).
    accounting = "select source_table, rows_in, rows_kept, rows_rejected, rows_collapsed, rows_erased, {} from " \
        "source_row_accounting order by 1"  # fmt: skip
    assert from_files.query(accounting.format("file_lines")) == demo.query(accounting.format("rows_in"))
    assert demo.scalar("select count(file_lines) from source_row_accounting") == 0


def test_summary_prints_rows_per_model_and_rejections(demo: Build) -> None:
    # In-process: this process's dbt holds the database file, so a second process could not open it.
    from contact_segmentation.summary import summarize

    with duckdb.connect(str(demo.db_path)) as con:
        out = summarize(con, demo.target_path / "manifest.json")
    contacts = demo.scalar("select count(*) from int_contacts_resolved")
    (line,) = [line for line in out.splitlines() if " int_contacts_resolved " in line]
    assert line.split()[-1] == f"{contacts:,}"
    rejected = demo.scalar("select count(*) from rejected_rows where reason = 'duplicate_event_id'")
    (line,) = [line for line in out.splitlines() if "duplicate_event_id" in line]
    assert line.split() == ["events", "duplicate_event_id", "collapsed", f"{rejected:,}"]
    assert "Rejected and collapsed rows by reason:" in out
    engaged = demo.scalar("select count(*) from contact_segments where seg_engaged")
    (line,) = [line for line in out.splitlines() if line.split()[:1] == ["engaged"]]
    assert line.split()[1] == f"{engaged:,}"


def test_summary_fails_clearly_without_a_build(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*SEGMENTS, "summary", "--db", str(tmp_path / "none.duckdb")],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "run `dbt build` first" in proc.stderr


def test_dbt_docs_generate_catalogues_the_marts(demo: Build) -> None:
    demo.run("docs", "generate")
    catalog = json.loads((demo.target_path / "catalog.json").read_text())
    nodes = {key.split(".")[-1]: node for key, node in catalog["nodes"].items()}
    assert {"contact_features", "contact_segments", "segment_daily_sizes"} <= set(nodes)
    assert "seg_engaged" in {c.lower() for c in nodes["contact_segments"]["columns"]}
    assert (demo.target_path / "index.html").stat().st_size > 10_000
