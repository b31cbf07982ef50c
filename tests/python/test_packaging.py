"""The project as software a team installs: the `segments` command from `pip install .` in a new venv, the
dbt package built through integration_tests/, and lint that no warehouse on disk can change."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import duckdb
from conftest import DEMO_AS_OF, PROJECT_DIR, Build, copy_project, table_rows

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
