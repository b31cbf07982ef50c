"""The project without its computed traits and without the segments whose rules use sequences, habits,
returns or traits: what the benchmark measures their cost against (docs/decisions.md "Traits and
sequences"). The copy differs from the project in two YAML files only, so the same warehouse serves both.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from .warehouse import PROJECT_DIR

# What builds the project on landed files: everything but the demo seeds.
PROJECT_PARTS = ("models", "macros", "docs", "python", "seeds/reference", "snapshots", "tests/generic", "tests/data")
SEGMENT_FILE = Path("models/marts/segments/_segments__models.yml")
TRAITS_FILE = Path("models/marts/contacts/_contacts__models.yml")
NEW_KINDS = ("sequence", "in_periods", "returned_after_days")


def uses_new_kinds(rule: Any, traits: set[str], dropped: set[str]) -> bool:
    """Whether a rule has a sequence, habit or return leaf, reads a trait, or references a dropped segment."""
    if isinstance(rule, list):
        return any(uses_new_kinds(item, traits, dropped) for item in rule)
    if not isinstance(rule, dict):
        return False
    if any(key in rule for key in NEW_KINDS) or rule.get("column") in traits or rule.get("segment") in dropped:
        return True
    return any(uses_new_kinds(rule[key], traits, dropped) for key in ("all", "any", "not") if key in rule)


def copy_project(destination: Path) -> Path:
    """A copy of the project without the demo seeds, to edit and build with --project-dir."""
    for part in PROJECT_PARTS:
        shutil.copytree(PROJECT_DIR / part, destination / part)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, destination / name)
    return destination


def lean_project(destination: Path) -> tuple[Path, list[str], list[str]]:
    """Write the lean copy to `destination`; returns it, the segments left out and the traits left out."""
    shutil.rmtree(destination, ignore_errors=True)
    copy_project(destination)

    contacts = yaml.safe_load((PROJECT_DIR / TRAITS_FILE).read_text())
    model = next(m for m in contacts["models"] if m["name"] == "contact_traits")
    traits = [trait["name"] for trait in model["config"]["meta"]["traits"]]
    model["config"]["meta"]["traits"] = []
    model["columns"] = [c for c in model["columns"] if c["name"] not in traits]
    (destination / TRAITS_FILE).write_text(yaml.safe_dump(contacts, sort_keys=False))

    doc = yaml.safe_load((PROJECT_DIR / SEGMENT_FILE).read_text())
    model = doc["models"][0]
    dropped: set[str] = set()
    while True:  # until no segment references one left out
        more = {
            s["name"] for s in model["config"]["meta"]["segments"] if uses_new_kinds(s["rule"], set(traits), dropped)
        }
        if more <= dropped:
            break
        dropped |= more
    model["config"]["meta"]["segments"] = [s for s in model["config"]["meta"]["segments"] if s["name"] not in dropped]
    columns = {f"seg_{name}{suffix}" for name in dropped for suffix in ("", "_holdout", "_split")}
    model["columns"] = [c for c in model["columns"] if c["name"] not in columns]
    (destination / SEGMENT_FILE).write_text(yaml.safe_dump(doc, sort_keys=False))
    return destination, sorted(dropped), traits
