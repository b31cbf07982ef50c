"""scripts/check_properties.py: the per-property summary and the counter-examples it prints."""

from __future__ import annotations

import json

import pytest
from conftest import load_script

check_properties = load_script("check_properties")


def test_the_summary_counts_the_data_sets_of_passing_examples_only() -> None:
    lines = [
        json.dumps({"property": "determinism", "datasets": 50, "outcome": "passed", "seconds": 30.0}),
        json.dumps({"property": "determinism", "datasets": 50, "outcome": "passed", "seconds": 28.5}),
        json.dumps({"property": "point in time", "datasets": 50, "outcome": "failed", "seconds": 12.0}),
        "",
    ]
    assert check_properties.summarise(lines) == {
        "determinism": {"datasets": 100, "examples": 2, "failed": 0, "seconds": 58.5},
        "point in time": {"datasets": 0, "examples": 1, "failed": 1, "seconds": 12.0},
    }


def test_a_counter_example_is_cut_from_pytest_output_without_its_prefixes() -> None:
    output = (
        "E       AssertionError: contact_features: 1 rows differ\n"
        "E       Failing test case: test_x(\n"
        "E           batch=[Shape(seed=0, contacts=1, events=1)],\n"
        "E       )\n"
        "tests/python/test_properties.py:10: AssertionError\n"
    )
    assert check_properties.counter_examples(output) == [
        "Failing test case: test_x(\n          batch=[Shape(seed=0, contacts=1, events=1)],\n      )"
    ]


def test_bad_arguments_exit_with_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        check_properties.main(["--datasets", "0"])
    assert stop.value.code == 2
    assert "--datasets, --batch and --workers must be at least 1" in capsys.readouterr().err
