"""The habits the project keeps, checked on the demo build's manifest and tables."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECT_DIR, SEGMENTS, Build, copy_project
from contact_segmentation.state_graph import drawn_graph, state_graph


@pytest.fixture(scope="module")
def manifest(demo: Build) -> dict[str, Any]:
    return json.loads((demo.target_path / "manifest.json").read_text())


def models(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(found) >= 20
    return found


def test_every_model_has_a_description(manifest: dict[str, Any]) -> None:
    missing = [m["name"] for m in models(manifest) if len(m["description"].strip()) < 20]
    assert not missing


def test_every_built_column_is_documented_and_every_documented_column_exists(
    manifest: dict[str, Any], demo: Build
) -> None:
    problems = []
    for model in models(manifest):
        built = [
            r[0]
            for r in demo.query(
                f"select column_name from information_schema.columns where table_name = '{model['alias']}' "
                "order by ordinal_position"
            )
        ]
        documented = {name: col["description"].strip() for name, col in model["columns"].items()}
        if set(built) != set(documented):
            problems.append(
                f"{model['name']}: undocumented {set(built) - set(documented)}, "
                f"not built {set(documented) - set(built)}"
            )
        problems += [f"{model['name']}.{c}: no description" for c, d in documented.items() if not d]
    assert not problems, "\n".join(problems)


def test_every_model_has_a_unique_and_not_null_key(manifest: dict[str, Any]) -> None:
    tests: dict[tuple[str, str], set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata") and node.get("attached_node"):
            key = (node["attached_node"], node.get("column_name") or "")
            tests.setdefault(key, set()).add(node["test_metadata"]["name"])
    without_key = [
        m["name"]
        for m in models(manifest)
        if not any({"unique", "not_null"} <= names for (node, _), names in tests.items() if node == m["unique_id"])
    ]
    assert not without_key


def test_source_is_only_called_from_staging() -> None:
    offenders = []
    for path in PROJECT_DIR.glob("models/**/*.sql"):
        if "staging" not in path.parts and re.search(r"\b(source|raw_source)\(", path.read_text()):
            offenders.append(str(path.relative_to(PROJECT_DIR)))
    assert not offenders


def declared_vars() -> set[str]:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return set(project["vars"]["contact_segmentation"])


def test_every_var_used_is_declared_with_a_default() -> None:
    declared = declared_vars()
    used = set()
    for path in [*PROJECT_DIR.glob("models/**/*.sql"), *PROJECT_DIR.glob("macros/**/*.sql")]:
        used |= set(re.findall(r"var\(['\"]([a-z_]+)['\"]", path.read_text()))
    assert used, "no var() found: the pattern is wrong"
    assert used <= declared, used - declared


def test_as_of_is_read_only_by_the_as_of_date_macro() -> None:
    # scripts/backfill.py parses once for many days: as_of must not reach a config or
    # anything else dbt evaluates at parse time, only the macro models call when they compile.
    readers = {path.relative_to(PROJECT_DIR).as_posix()
               for path in [*PROJECT_DIR.glob("models/**/*"), *PROJECT_DIR.glob("macros/**/*"),
                            PROJECT_DIR / "dbt_project.yml"]
               if path.is_file() and re.search(r"var\(\s*['\"]as_of['\"]", path.read_text())}  # fmt: skip
    assert readers == {"macros/time/as_of_date.sql"}


def test_readme_lists_every_var() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    declared = declared_vars()
    assert len(declared) > 20
    assert not {v for v in declared if f"`{v}`" not in readme}


def test_ci_runs_the_readme_test_command() -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    ci = (PROJECT_DIR / ".ci" / "run").read_text()
    assert "make test" in readme and re.search(r"^make test$", ci, flags=re.MULTILINE)


def test_exposures_declare_the_dashboard_and_the_sync_on_the_mart(manifest: dict[str, Any]) -> None:
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == {"segment_dashboard", "email_platform_sync"}
    for exposure in exposures.values():
        assert "model.contact_segmentation.contact_segments" in exposure["depends_on"]["nodes"]


def test_segment_columns_are_documented_for_dbt_docs(manifest: dict[str, Any]) -> None:
    columns = manifest["nodes"]["model.contact_segmentation.contact_segments"]["columns"]
    segments = manifest["nodes"]["model.contact_segmentation.contact_segments"]["config"]["meta"]["segments"]
    assert len(segments) >= 25
    for segment in segments:
        assert len(columns[f"seg_{segment['name']}"]["description"]) > 20


def test_every_command_answers_help() -> None:
    """`segments --help` lists every subcommand; each answers --help with its own usage, exit 0; an unknown
    command is one line on stderr and exit 2; `python -m contact_segmentation` is the same command."""
    from contact_segmentation.cli import COMMANDS

    listed = subprocess.run([*SEGMENTS, "--help"], capture_output=True, text=True, check=False)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines() if line.startswith("  ")] == list(COMMANDS)
    expected = {"build", "publish", "backfill", "preview", "export", "report", "summary", "generate", "benchmark"}
    assert expected <= set(COMMANDS)
    for command in COMMANDS:
        shown = subprocess.run([*SEGMENTS, command, "--help"], capture_output=True, text=True, check=False)
        assert shown.returncode == 0 and shown.stdout.startswith(f"usage: segments {command} "), command
    unknown = subprocess.run([*SEGMENTS, "bulid"], capture_output=True, text=True, check=False)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "unknown command 'bulid'" in unknown.stderr
    module = subprocess.run([sys.executable, "-m", "contact_segmentation", "--help"], capture_output=True, text=True)
    assert module.returncode == 0 and module.stdout == listed.stdout


def test_every_deleted_model_is_a_retired_name_and_no_model_has_one() -> None:
    """drop_retired_models drops, on every run, the relations of the models git shows deleted (an upgraded
    warehouse keeps them otherwise, out of reach of erasure): its list must name each of them, and no
    model of today may carry one of its names (it would be dropped on every run)."""
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=PROJECT_DIR,
                             capture_output=True, text=True, check=True)  # fmt: skip
    if shallow.stdout.strip() == "true":
        pytest.skip("a shallow clone has no history of deleted models")
    log = subprocess.run(
        ["git", "log", "--diff-filter=D", "--name-only", "--pretty=format:", "--", "models"],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    )  # fmt: skip
    models = {path.stem for path in (PROJECT_DIR / "models").rglob("*") if path.suffix in (".sql", ".py")}
    deleted = {Path(name).stem for name in log.stdout.split() if name.endswith((".sql", ".py"))} - models
    macro = (PROJECT_DIR / "macros" / "incremental" / "drop_retired_models.sql").read_text()
    listed = re.search(r"set retired = \[(.*?)\]", macro, re.S)
    assert listed is not None
    retired = set(re.findall(r"'([a-z0-9_]+)'", listed.group(1)))
    assert deleted <= retired, f"deleted models missing from drop_retired_models: {sorted(deleted - retired)}"
    assert not retired & models, f"models named like a retired one: {sorted(retired & models)}"
    assert "int_state_commits" in deleted  # the history is there to compare with


def test_scripts_hold_developer_tools_only() -> None:
    """The product code is the package; scripts/ keeps the setup scripts, the property runner, the
    propensity model's out-of-time check and the no-batch day's window movers (a measurement)."""
    assert sorted(p.name for p in (PROJECT_DIR / "scripts").iterdir()) == [
        "check_propensity.py", "check_properties.py", "install_chromium.sh", "start_postgres.sh",
        "window_movers.py",
    ]  # fmt: skip


def test_no_file_puts_a_folder_on_sys_path() -> None:
    """Imports go through the installed package (and pytest's pythonpath setting), never sys.path edits."""
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    offenders = [
        name for name in tracked.stdout.split()
        if re.search(r"sys\.path\.(insert|append)|sys\.path \+?=", (PROJECT_DIR / name).read_text())
        and not name.endswith("test_project_conventions.py")
    ]  # fmt: skip
    assert not offenders


def test_project_dir_is_defined_once() -> None:
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    definitions = [
        name
        for name in tracked.stdout.split()
        if re.search(r"^PROJECT_DIR\s*=", (PROJECT_DIR / name).read_text(), re.M)
    ]
    assert definitions == ["python/contact_segmentation/warehouse.py"]


def test_no_reference_to_a_file_outside_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    outside = re.compile(r"\.\./shared|SPEC\.md|SPEC \"")
    texts = (".sql", ".yml", ".md", ".py", ".csv", ".txt", ".sh")
    offenders = [
        name for name in tracked.stdout.splitlines()
        if name.endswith(texts) and not name.endswith("test_project_conventions.py")
        and outside.search((PROJECT_DIR / name).read_text(errors="replace"))
    ]  # fmt: skip
    assert offenders == []


QUOTED_RUN = re.compile(r"(?:'[a-z_]+'\s*,\s*)+'[a-z_]+'")


def test_each_business_list_is_written_once() -> None:
    """Raw tables, segment columns, event types, devices and acquisition sources each have one definition."""
    sources = [p for folder in ("models", "macros", "tests/data", "tests/generic", "snapshots")
               for p in (PROJECT_DIR / folder).rglob("*.sql")]  # fmt: skip
    texts = {p.relative_to(PROJECT_DIR).as_posix(): p.read_text() for p in sources}
    declared = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["contact_segmentation"]
    lists = {
        "event types": [f"'{t}'" for t in declared["event_types"]],
        "devices": [f"'{d}'" for d in declared["device_types"]],
        "acquisition sources": [f"'{s}'" for s in declared["acquisition_sources"]],
        "landing tables": ["'contacts'", "'contact_tags'", "'contact_attributes'", "'suppressions'",
                           "'erasure_requests'"],
    }  # fmt: skip
    for name, items in lists.items():
        # A run of quoted items holding several of a list's items (three, or six of a long list) is the
        # list written out again; a rule naming the event types it is about is not.
        enough = min(len(items), 6) if len(items) > 3 else 3
        again = [
            path for path, text in texts.items()
            if path != "macros/landing/landing_tables.sql"  # the one definition of the landing tables
            and any(sum(item in run for item in items) >= enough for run in QUOTED_RUN.findall(text))
        ]  # fmt: skip
        assert again == [], f"the {name} are written out in {again}; use the var or macro"
    holdout_expansions = [path for path, text in texts.items() if "_holdout'" in text and "~ '_holdout'" in text]
    assert holdout_expansions == ["macros/segments/segment_columns.sql"]


def test_every_macro_and_argument_is_documented(manifest: dict[str, Any]) -> None:
    """Each macro (engine implementations aside) is described in its folder's _macros.yml, every argument too."""
    undocumented = []
    for macro in manifest["macros"].values():
        if macro["package_name"] != "contact_segmentation" or "__" in macro["name"]:
            continue
        if macro["name"].startswith(("test_", "materialization_")):
            continue
        signature = re.search(r"macro\s+\w+\((.*?)\)\s*-?%\}", macro["macro_sql"], re.S)
        arguments = re.sub(r"'[^']*'|\"[^\"]*\"", "''", signature.group(1)) if signature else ""
        names = [a.split("=")[0].strip() for a in arguments.split(",") if a.strip()]
        documented = {a["name"]: a.get("description") for a in macro["arguments"]}
        if not macro["description"] or any(not documented.get(name) for name in names):
            undocumented.append(macro["name"])
    assert undocumented == []


REF = re.compile(r"""\bref\(\s*['"](\w+)['"]\s*\)""")
DEPENDS_ON = re.compile(r"^--\s*depends_on:(.*)$", re.M)


def macros_reached(manifest: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The macros of this project a node calls, directly, in its hooks, or through other macros and their engine
    implementations (adapter.dispatch: default__<name>, duckdb__<name>, ...)."""
    ours = {m["name"]: uid for uid, m in manifest["macros"].items() if m["package_name"] == "contact_segmentation"}
    hooks = " ".join(hook["sql"] for hook in node["config"].get("pre-hook", []) + node["config"].get("post-hook", []))
    reached: list[dict[str, Any]] = []
    seen: set[str] = set()
    stack = list(node["depends_on"]["macros"]) + [ours[name] for name in re.findall(r"(\w+)\(", hooks) if name in ours]
    while stack:
        unique_id = stack.pop()
        if unique_id in seen or unique_id not in manifest["macros"]:
            continue
        seen.add(unique_id)
        macro = manifest["macros"][unique_id]
        reached.append(macro)
        stack += macro["depends_on"]["macros"]
        stack += [uid for name, uid in ours.items() if name.endswith("__" + macro["name"])]
    return reached


def refs_inside_macros(manifest: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """The models ref()'d by name in the macros a node calls, directly, in its hooks, or through other macros."""
    hooks = " ".join(hook["sql"] for hook in node["config"].get("pre-hook", []) + node["config"].get("post-hook", []))
    refs: set[str] = set(REF.findall(hooks))
    for macro in macros_reached(manifest, node):
        refs |= set(REF.findall(macro["macro_sql"]))
    return refs


def test_depends_on_lines_only_declare_refs_made_inside_macros(manifest: dict[str, Any], tmp_path: Path) -> None:
    """Run order comes from ref() (docs/incremental.md): a `-- depends_on:` line is only the hint dbt needs for
    a ref() made inside a macro the model calls that dbt does not see while parsing (a macro that refs only when
    the run executes). A line naming a model the model refs itself or no macro of it refs (a line that only
    orders models) fails, and so does a line whose model dbt finds without it: the project is parsed once more
    with every hint taken out, and each hint must name a parent that parse then loses."""
    project = copy_project(tmp_path / "project")
    for path in (project / "models").rglob("*.sql"):
        path.write_text(DEPENDS_ON.sub("", path.read_text()))
    stripped = Build(tmp_path / "w.duckdb", tmp_path / "target", {"raw_data_path": str(tmp_path)}, project,
                     write_json=True)  # fmt: skip
    stripped.run("parse")
    parsed = json.loads((tmp_path / "target" / "manifest.json").read_text())["nodes"]
    needless = []
    for model in models(manifest):
        body = DEPENDS_ON.sub("", model["raw_code"])
        found = {parsed[uid]["name"] for uid in parsed[model["unique_id"]]["depends_on"]["nodes"] if uid in parsed}
        for line in DEPENDS_ON.findall(model["raw_code"]):
            for name in REF.findall(line):
                if name in REF.findall(body) or name not in refs_inside_macros(manifest, model) or name in found:
                    needless.append(f"{model['name']}: {name}")
    assert needless == []
    assert sum(len(DEPENDS_ON.findall(m["raw_code"])) for m in models(manifest)) > 10, "the check found no hints"


GET_RELATION = re.compile(r"\b(?:adapter\.get_relation|load_relation)\((?!\s*(?:this\s*\)|ref\())")


def test_no_model_reads_a_relation_it_does_not_ref() -> None:
    """A model reads other models through ref() and its own last state through {{ this }}: no
    adapter.get_relation or load_relation of anything else."""
    paths = sorted((PROJECT_DIR / "models").rglob("*.sql"))
    assert len(paths) > 20
    for path in paths:
        assert not GET_RELATION.findall(path.read_text()), f"{path.name} looks a relation up by name"
    assert GET_RELATION.findall("{{ adapter.get_relation(this.database, this.schema, 'int_events_dropped') }}")
    assert not GET_RELATION.findall("{% set held = load_relation(this) %}")


# A relation looked up by a name written in the code, or the run manifest as the hooks find it (they cannot ref()).
BY_NAME = re.compile(
    r"""\b(?:adapter\.get_relation|load_relation)\((?:[^()]|\([^()]*\))*?['"]"""  # a quoted name among its arguments
    r"|run_manifest_relation\("
)


def test_no_macro_a_model_calls_reads_a_relation_by_name(manifest: dict[str, Any]) -> None:
    """The macros a model calls (in its body and hooks, through dispatch) read other models through ref() too: no
    adapter.get_relation or load_relation of a name written in the macro, and not the hooks' run_manifest_relation.
    (segment_daily_sizes was read that way by history_guard until the run manifest recorded the history's days.)"""
    found = {
        f"{model['name']}: {macro['name']}"
        for model in models(manifest)
        for macro in macros_reached(manifest, model)
        if BY_NAME.search(macro["macro_sql"])
    }
    assert found == set()
    old_guard = "{%- set register = adapter.get_relation(database=relation.database, schema=relation.schema,\n" \
        "    identifier='segment_daily_sizes') -%}"  # fmt: skip
    assert BY_NAME.search(old_guard)
    assert BY_NAME.search("{% set manifest = run_manifest_relation() %}")
    assert not BY_NAME.search("{% set built = adapter.get_relation(database=runs.database, schema=runs.schema, "
                              "identifier=runs.identifier) %}")  # fmt: skip
    reached = {macro["name"] for model in models(manifest) for macro in macros_reached(manifest, model)}
    assert {"history_guard", "incremental_run", "clear_history_day"} <= reached, "the macros were not followed"


def test_the_run_order_picture_is_the_demo_builds(manifest: dict[str, Any]) -> None:
    """docs/incremental.md draws the run manifest, the state models and the commit as dbt orders them."""
    drawn = drawn_graph((PROJECT_DIR / "docs" / "incremental.md").read_text())
    assert drawn == state_graph(manifest), "redraw it: python -m contact_segmentation.state_graph <manifest.json>"
    assert "int_incremental_runs --> int_state_persons" in drawn and "int_contact_activity --> commit" in drawn
