"""The lift statistics (docs/segments.md "Lift") against statsmodels and SciPy.

The macros the lift marts call (wilson_bound, newcombe_bound, ratio_bound,
two_proportion_p_value, erfc_sql) are compiled by dbt once, run by DuckDB on a table
of cases (0 converters, all converters, tiny and large groups, and random ones), and
compared with statsmodels' own implementations: proportion_confint(method="wilson"),
confint_proportions_2indep(method="newcomb" / compare="ratio", method="log") and
proportions_ztest, and with scipy.special.erfc.
"""

from __future__ import annotations

import random
import warnings
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import Build
from scipy.special import erfc
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

FIXED_CASES = [
    (0, 1, 0, 1), (1, 1, 1, 1), (0, 1, 1, 1), (1, 1, 0, 1),  # the smallest groups
    (0, 20, 0, 5), (20, 20, 0, 5), (0, 10, 10, 10), (10, 10, 10, 10),  # none and all converters
    (1, 3, 0, 2), (2, 3, 1, 2), (5, 7, 2, 9), (30, 200, 3, 50),  # tiny and small
    (1, 10_000, 0, 10_000), (5_000, 10_000, 4_900, 10_000), (9_999, 10_000, 10_000, 10_000),  # large
]  # fmt: skip


def cases() -> list[tuple[int, int, int, int]]:
    rng = random.Random(41)
    drawn = []
    for _ in range(200):
        n1, n2 = rng.randint(1, 3_000), rng.randint(1, 3_000)
        drawn.append((rng.randint(0, n1), n1, rng.randint(0, n2), n2))
    return FIXED_CASES + drawn


STATISTICS_SQL = """
with wilson as (
    select
        *,
        cast(x1 as double) / n1 as p1,
        cast(x2 as double) / n2 as p2,
        {{ wilson_bound('x1', 'n1', 1.959963984540054, 'lower') }} as l1,
        {{ wilson_bound('x1', 'n1', 1.959963984540054, 'upper') }} as u1,
        {{ wilson_bound('x2', 'n2', 1.959963984540054, 'lower') }} as l2,
        {{ wilson_bound('x2', 'n2', 1.959963984540054, 'upper') }} as u2,
        {{ two_proportion_p_value('x1', 'n1', 'x2', 'n2') }} as p_value,
        {{ ratio_bound('x1', 'n1', 'x2', 'n2', 1.959963984540054, 'lower') }} as relative_lower,
        {{ ratio_bound('x1', 'n1', 'x2', 'n2', 1.959963984540054, 'upper') }} as relative_upper,
        {{ erfc_sql('t') }} as erfc_t
    from cases
)
select
    *,
    {{ newcombe_bound('p1', 'l1', 'u1', 'p2', 'l2', 'u2', 'lower') }} as diff_lower,
    {{ newcombe_bound('p1', 'l1', 'u1', 'p2', 'l2', 'u2', 'upper') }} as diff_upper
from wilson
order by case_number
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The statistics of every case as the macros compute them: compiled by dbt, run by DuckDB."""
    folder = tmp_path_factory.mktemp("lift_statistics")
    build = Build(folder / "compile.duckdb", folder / "target")
    sql = build.run("compile", "--inline", STATISTICS_SQL, "--quiet").result.results[0].node.compiled_code
    con = duckdb.connect()
    con.execute("create table cases (case_number int, x1 bigint, n1 bigint, x2 bigint, n2 bigint, t double)")
    # t runs over -8 .. 8 and beyond for the erfc check, one value per case.
    con.executemany("insert into cases values (?, ?, ?, ?, ?, ?)",
                    [(i, *case, (i - 100) / 12.5) for i, case in enumerate(cases())])  # fmt: skip
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_wilson_newcombe_ratio_and_p_value_equal_statsmodels(results: list[dict[str, Any]]) -> None:
    assert len(results) == len(cases()) == len(FIXED_CASES) + 200
    degenerate = 0
    for r in results:
        x1, n1, x2, n2 = r["x1"], r["n1"], r["x2"], r["n2"]
        for side, (x, n) in (("1", (x1, n1)), ("2", (x2, n2))):
            low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
            assert (r["l" + side], r["u" + side]) == pytest.approx((low, high), abs=1e-9), r
        diff = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
        assert (r["diff_lower"], r["diff_upper"]) == pytest.approx(diff, abs=1e-9), r
        if x1 > 0 and x2 > 0:
            ratio = confint_proportions_2indep(x1, n1, x2, n2, method="log", compare="ratio", alpha=0.05)
            assert (r["relative_lower"], r["relative_upper"]) == pytest.approx((ratio[0] - 1, ratio[1] - 1),
                                                                                rel=1e-9, abs=1e-12), r  # fmt: skip
        else:
            assert r["relative_lower"] is None and r["relative_upper"] is None, r
        if x1 + x2 in (0, n1 + n2):
            degenerate += 1
            assert r["p_value"] == 1.0, r  # statsmodels gives nan here: no evidence of a difference
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            _, p_value = proportions_ztest([x1, x2], [n1, n2])
        # erfc_sql's fractional error is below 1.2e-7 (Numerical Recipes' erfcc).
        assert r["p_value"] == pytest.approx(p_value, rel=2e-7, abs=1e-300), r
    assert degenerate == 4  # both sides with no converters, or both with all of them


def test_erfc_sql_is_within_its_stated_error_of_scipy(results: list[dict[str, Any]]) -> None:
    checked = [r["t"] for r in results]
    assert min(checked) <= -8 and max(checked) >= 8
    for r in results:
        assert r["erfc_t"] == pytest.approx(float(erfc(r["t"])), rel=1.2e-7), r["t"]


def test_a_wrong_lift_setting_stops_compilation_with_one_line(tmp_path: Path) -> None:
    build = Build(tmp_path / "w.duckdb", tmp_path / "target", {"lift_confidence_level": 0.8})
    result = build.run("compile", "--select", "segment_lift", expect_success=False)
    assert not result.success
    message = str(result.exception) if result.exception else " ".join(build.failures())
    assert "lift_confidence_level must be 0.90, 0.95 or 0.99, not 0.8" in message
