"""The project as software a team installs: the `segments` command from `pip install .` in a new venv, the
dbt package built through integration_tests/, and lint that no warehouse on disk can change."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import duckdb
from conftest import DEMO_AS_OF, PROJECT_DIR, RAW_COLUMNS, Build, copy_project, table_rows

INTEGRATION_DIR = PROJECT_DIR / "integration_tests"


def user_env(**more: str) -> dict[str, str]:
    """The environment of a user's shell: none of make's DBT_* settings, which point at this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "SEGMENTS_"))}
    return {**env, **more}


def test_pip_install_gives_a_segments_command_that_builds_and_exports_the_demo(tmp_path: Path) -> None:
    """A new venv, `pip install .` (pinned by requirements.txt as a constraint, so that pip takes the versions
    this project is tested with), then the installed command, run from a copy of the project as a user runs it:
    the code that runs is the installed copy in the venv's site-packages, not this source tree."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python, segments = env_dir / "bin" / "python", env_dir / "bin" / "segments"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", PROJECT_DIR / "requirements.txt", PROJECT_DIR],
        check=True, env=user_env(),
    )  # fmt: skip
    where = subprocess.run([python, "-c", "import contact_segmentation as p; print(p.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path)  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(env_dir / "lib")
    assert segments.exists()

    project = copy_project(tmp_path / "shop")
    shutil.copytree(PROJECT_DIR / "seeds" / "demo", project / "seeds" / "demo")
    env = user_env(PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}")
    built = subprocess.run([segments, "build", "--as-of", DEMO_AS_OF], cwd=project, env=env,
                           capture_output=True, text=True)  # fmt: skip
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    published = project / "target" / "published" / "segments.duckdb"
    assert published.exists()

    out = tmp_path / "exports"
    exported = subprocess.run([segments, "export", "--all", "--out", out], cwd=project, env=env,
                              capture_output=True, text=True)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    with (out / "segments.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with duckdb.connect(str(published), read_only=True) as con:
        as_of = con.execute("select as_of_date::varchar from publication").fetchone()
        engaged = con.execute("select count(*) from contact_segments where seg_engaged and is_email_sendable")
        engaged_count = engaged.fetchone()
    assert as_of == (DEMO_AS_OF,)
    assert engaged_count is not None and engaged_count[0] > 100
    assert sum(row["seg_engaged"] == "true" for row in rows) == engaged_count[0]


def test_integration_project_builds_the_demo_through_the_package_like_the_project(demo: Build, tmp_path: Path) -> None:
    """integration_tests/ installs the package from the parent folder (`dbt deps`, a local: entry) and builds
    the demo through it with every test; its contact_segments equals the project's own demo build."""
    db = tmp_path / "integration.duckdb"
    env = user_env(DBT_DUCKDB_PATH=str(db))
    dbt = str(Path(sys.executable).with_name("dbt"))
    logs = ["--log-path", str(tmp_path / "logs")]
    deps = subprocess.run([dbt, "deps", *logs], cwd=INTEGRATION_DIR, env=env, capture_output=True, text=True)
    assert deps.returncode == 0, deps.stdout[-2000:]
    build = ["build", "--profiles-dir", ".", "--target-path", str(tmp_path / "target"), *logs]
    built = subprocess.run([dbt, *build], cwd=INTEGRATION_DIR, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:]
    summary = next(line for line in built.stdout.splitlines() if "Done. PASS=" in line)
    assert "ERROR=0" in summary and "SKIP=0" in summary and "WARN=0" in summary
    assert int(summary.split("PASS=")[1].split()[0]) >= 550  # every model, seed, snapshot and test of the package

    expected = table_rows(demo, "contact_segments")
    with duckdb.connect(str(db), read_only=True) as con:
        got = sorted(con.execute("select * from contact_segments").fetchall(), key=repr)
    assert len(got) == len(expected) > 1000
    assert got == expected


def test_lint_is_the_same_with_a_built_warehouse_present(demo: Build, tmp_path: Path) -> None:
    """make lint-sql on a copy of the project that holds a built warehouse where the build writes it (so that
    is_incremental() would be true if lint compiled against it): the load-batch model still lints clean."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(PROJECT_DIR / "seeds" / "demo", project / "seeds" / "demo")
    for name in ("Makefile", ".sqlfluff", ".sqlfluffignore"):
        shutil.copy(PROJECT_DIR / name, project / name)
    (project / "target").mkdir()
    demo.copy_to(project / "target" / "segments.duckdb")
    venv_dir = Path(sys.executable).parent.parent
    model = "models/staging/marketing/stg_marketing__load_batches.sql"
    linted = subprocess.run(
        # -o: this test's venv is installed; make is not to check it against the copy's requirements.
        ["make", "--no-print-directory", "-o", f"{venv_dir}/.installed-dev", "lint-sql", f"VENV={venv_dir}",
         f"LINT_PATHS={model}"],
        cwd=project, env=user_env(), capture_output=True, text=True,
    )  # fmt: skip
    assert linted.returncode == 0, linted.stdout[-2000:] + linted.stderr[-2000:]
    assert "All Finished" in linted.stdout and "FAIL" not in linted.stdout
    # What the test guards against: sqlfluff compiling against that warehouse sees the incremental SQL.
    naive = subprocess.run([venv_dir / "bin" / "sqlfluff", "lint", model], cwd=project,
                           env=user_env(DBT_PROJECT_DIR=str(project), DBT_PROFILES_DIR=str(project)),
                           capture_output=True, text=True)  # fmt: skip
    assert naive.returncode == 1 and "LT02" in naive.stdout, naive.stdout[-2000:]


HOST_PROJECT = """
name: shop_analytics
version: "1.0.0"
config-version: 2
profile: integration_tests
vars:
  contact_segmentation:
    as_of: "{as_of}"
    segment_file_model: shop_segments
    raw_schema: crm
    raw_tables: {tables}
"""

HOST_SEGMENT_FILE = """
models:
  - name: shop_segments
    description: The shop's own segment mart, over the package's contact_segments.
    config:
      contract: {enforced: true}
      meta:
        segments:
          - name: keen_readers
            owner: crm
            rule: {column: email_engagement_status, op: "=", value: engaged}
          - name: warm_leads
            owner: sales
            email_audience: false
            rule: {column: lead_score, op: ">=", value: 20}
    columns:
"""
HOST_COLUMNS = [
    ("contact_id", "varchar"), ("email", "varchar"), ("email_sha256", "varchar"), ("first_name", "varchar"),
    ("country", "varchar"), ("timezone", "varchar"), ("language", "varchar"), ("acquisition_source", "varchar"),
    ("customer_status", "varchar"), ("funnel_stage", "varchar"), ("rfm_segment", "varchar"),
    ("email_engagement_status", "varchar"), ("lead_score", "decimal(18,2)"), ("is_email_sendable", "boolean"),
    ("primary_segment", "varchar"), ("seg_keen_readers", "boolean"), ("seg_warm_leads", "boolean"),
    ("as_of_date", "date"),
]  # fmt: skip


def test_a_host_project_maps_its_landing_tables_and_declares_its_own_segments(demo: Build, tmp_path: Path) -> None:
    """A host project of its own: the landing tables are warehouse tables of text columns in its schema crm,
    named crm_<table> (mapped by raw_tables), and its segment file is its own model's properties
    (segment_file_model), contract-enforced there. The package's contact_features equal the project's demo
    build; contact_segments holds the host's two segments, with the members their rules give."""
    host = tmp_path / "shop"
    (host / "models").mkdir(parents=True)
    tables = {table: {"identifier": f"crm_{table}"} for table in RAW_COLUMNS}
    (host / "dbt_project.yml").write_text(HOST_PROJECT.format(as_of=DEMO_AS_OF, tables=json.dumps(tables)))
    (host / "packages.yml").write_text(f"packages:\n  - local: {PROJECT_DIR}\n")
    shutil.copy(INTEGRATION_DIR / "profiles.yml", host / "profiles.yml")
    (host / "models" / "shop_segments.sql").write_text("select * from {{ ref('contact_segments') }}\n")
    described = {name: ", description: A segment." for name, _ in HOST_COLUMNS if name.startswith("seg_")}
    columns = "".join(
        f'      - {{name: {name}, data_type: "{kind}"{described.get(name, "")}}}\n' for name, kind in HOST_COLUMNS
    )
    (host / "models" / "_shop__models.yml").write_text(HOST_SEGMENT_FILE + columns)

    db = tmp_path / "shop.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema crm")
        for table in RAW_COLUMNS:
            seed = PROJECT_DIR / "seeds" / "demo" / f"{table}.csv"
            con.execute(f"create table crm.crm_{table} as select * from read_csv(?, all_varchar = true)", [str(seed)])
    env = user_env(DBT_DUCKDB_PATH=str(db))
    dbt = str(Path(sys.executable).with_name("dbt"))
    logs = ["--log-path", str(tmp_path / "logs")]
    build = ["build", "--profiles-dir", ".", "--select", "+shop_segments", "--exclude", "resource_type:unit_test"]
    # cautious: a test of the package that also reads a model outside the selection stays out
    for command in (["deps", *logs], [*build, "--indirect-selection", "cautious", *logs]):
        done = subprocess.run([dbt, *command], cwd=host, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-3000:]

    assert table_rows(Build(db, tmp_path / "unused"), "contact_features") == table_rows(demo, "contact_features")
    with duckdb.connect(str(db), read_only=True) as con:
        seg_columns = con.execute(
            "select column_name from information_schema.columns where table_name = 'shop_segments'"
            " and column_name like 'seg_%' order by ordinal_position"
        ).fetchall()
        got = con.execute(
            "select count(*) filter (where seg_keen_readers), count(*) filter (where seg_warm_leads) from shop_segments"
        ).fetchone()
    keen = demo.scalar("select count(*) from contact_features where email_engagement_status = 'engaged'"
                       " and is_email_sendable")  # fmt: skip
    warm = demo.scalar("select count(*) from contact_features where lead_score >= 20")
    assert seg_columns == [("seg_keen_readers",), ("seg_warm_leads",)]
    assert got == (keen, warm) and keen > 100 and warm > 100
