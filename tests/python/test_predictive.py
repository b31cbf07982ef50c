"""BG/NBD and Gamma-Gamma (python/predictive.py, docs/predictions.md): the published CDNOW fit, scoring, the build.

tests/python/data/cdnow_customers_summary_with_transactions.csv is the CDNOW sample of
Fader, Hardie & Lee (2005): 2,357 customers, 39 weeks of calibration, weekly units,
x repeat purchases, t_x and T in weeks and zbar the mean repeat spend. It is the file
the `lifetimes` package ships (lifetimes/datasets/, commit 43b4648 of
CamDavidsonPilon/lifetimes), from Bruce Hardie's public data notes.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import Build
from predictive import (
    BgNbd,
    GammaGamma,
    cume_dist,
    expected_purchases,
    expected_value,
    fit_bg_nbd,
    fit_gamma_gamma,
    lifetime_value,
    p_alive,
)

CDNOW = Path(__file__).parent / "data" / "cdnow_customers_summary_with_transactions.csv"
# "Counting your customers the easy way" (2005), table 1; "RFM and CLV" (2005), section 4.
PUBLISHED_BG_NBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}
CDNOW_MODEL = BgNbd(**PUBLISHED_BG_NBD)


@pytest.fixture(scope="module")
def cdnow() -> dict[str, np.ndarray]:
    with CDNOW.open() as f:
        rows = list(csv.DictReader(f))
    return {key: np.array([float(row[key]) for row in rows]) for key in ("x", "t_x", "T", "zbar")}


def test_bg_nbd_reproduces_the_published_cdnow_estimates(cdnow: dict[str, np.ndarray]) -> None:
    assert len(cdnow["x"]) == 2357
    fitted = fit_bg_nbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert fitted is not None
    for name, published in PUBLISHED_BG_NBD.items():
        assert getattr(fitted, name) == pytest.approx(published, rel=0.01), name


def test_grouped_fit_equals_the_customer_by_customer_fit(cdnow: dict[str, np.ndarray]) -> None:
    """The warehouse fits distinct (x, t_x, T) with their counts as weights: the same maximum."""
    triples, counts = np.unique(np.stack([cdnow["x"], cdnow["t_x"], cdnow["T"]]), axis=1, return_counts=True)
    assert triples.shape[1] < 2357
    grouped = fit_bg_nbd(triples[0], triples[1], triples[2], counts)
    single = fit_bg_nbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert grouped is not None and single is not None
    for name in PUBLISHED_BG_NBD:
        assert getattr(grouped, name) == pytest.approx(getattr(single, name), rel=1e-4), name


def test_gamma_gamma_reproduces_the_published_cdnow_estimates(cdnow: dict[str, np.ndarray]) -> None:
    repeat = cdnow["x"] > 0
    assert repeat.sum() == 946
    fitted = fit_gamma_gamma(cdnow["x"][repeat], cdnow["zbar"][repeat])
    assert fitted is not None
    for name, published in PUBLISHED_GAMMA_GAMMA.items():
        assert getattr(fitted, name) == pytest.approx(published, rel=0.01), name


def test_grouped_gamma_gamma_fit_equals_the_customer_by_customer_fit(cdnow: dict[str, np.ndarray]) -> None:
    """The warehouse fits distinct (x, mean value) with their counts as weights: the same maximum."""
    repeat = cdnow["x"] > 0
    pairs, counts = np.unique(np.stack([cdnow["x"][repeat], cdnow["zbar"][repeat]]), axis=1, return_counts=True)
    assert pairs.shape[1] < 946 and counts.max() > 1
    grouped = fit_gamma_gamma(pairs[0], pairs[1], counts)
    single = fit_gamma_gamma(cdnow["x"][repeat], cdnow["zbar"][repeat])
    assert grouped is not None and single is not None
    for name in PUBLISHED_GAMMA_GAMMA:
        assert getattr(grouped, name) == pytest.approx(getattr(single, name), rel=1e-4), name


def test_too_little_data_is_not_fitted() -> None:
    """No buyer ever bought again: the dropout parameters a and b are not identified, so there is no fit."""
    assert fit_bg_nbd([0, 0, 0, 0], [0, 0, 0, 0], [10, 20, 30, 40]) is None


def p_alive_by_hand(model: BgNbd, x: float, t_x: float, age: float) -> float:
    """FHL 2005 equation 12, written out independently of python/predictive.py."""
    if x == 0:
        return 1.0
    odds = model.a / (model.b + x - 1) * ((model.alpha + age) / (model.alpha + t_x)) ** (model.r + x)
    return 1 / (1 + odds)


@pytest.mark.parametrize(
    ("case", "x", "t_x", "age", "expected"),
    [
        ("no repeat purchase: cannot have dropped out", 0, 0, 38.86, 1.0),
        ("two repeats, the last 8.4 weeks ago (CDNOW customer 1)", 2, 30.43, 38.86, 0.7266),
        ("two repeats, the last a day ago: only the dropout chance at it", 2, 38.86 - 1 / 7, 38.86, 0.8109),
        ("two repeats, silent for 33.9 weeks", 2, 5.0, 38.86, 0.1237),
    ],
)
def test_p_alive_cases(case: str, x: float, t_x: float, age: float, expected: float) -> None:
    scored = p_alive(CDNOW_MODEL, [x], [t_x], [age])[0]
    assert scored == pytest.approx(expected, abs=5e-4), case
    assert scored == pytest.approx(p_alive_by_hand(CDNOW_MODEL, x, t_x, age), rel=1e-12), case


def test_expected_purchases_match_the_published_example() -> None:
    """FHL 2005 (and Hardie's spreadsheet): x = 2, t_x = 30.43, T = 38.86 weeks -> 1.226 in the next 39 weeks."""
    assert expected_purchases(CDNOW_MODEL, 39, [2], [30.43], [38.86])[0] == pytest.approx(1.226, abs=1e-3)
    # A customer with no repeat purchase: pymc-marketing 0.19.2 gives 0.1948 at its fit of the same data.
    assert expected_purchases(CDNOW_MODEL, 39, [0], [0], [38.86])[0] == pytest.approx(0.1948, abs=2e-3)


def test_p_alive_falls_with_the_silence() -> None:
    """Frequency and age fixed, the longer since the last purchase the lower p_alive."""
    t_x = np.linspace(38.86, 0.5, 40)
    scores = p_alive(CDNOW_MODEL, np.full(40, 3.0), t_x, np.full(40, 38.86))
    assert np.all(np.diff(scores) < 0)


def test_expected_purchases_rise_with_frequency() -> None:
    """Age fixed and the last purchase recent, more repeat purchases mean more expected ones."""
    x = np.arange(0.0, 30.0)
    scores = expected_purchases(CDNOW_MODEL, 13, x, np.full(30, 38.0), np.full(30, 38.86))
    assert np.all(np.diff(scores) > 0)


def test_expected_purchases_grow_with_the_horizon_and_start_at_zero() -> None:
    horizons = [0, 1, 4, 13, 26, 52]
    scores = [expected_purchases(CDNOW_MODEL, h, [2], [30.43], [38.86])[0] for h in horizons]
    assert scores[0] == 0 and bool(np.all(np.diff(scores) > 0))


def test_expected_value_shrinks_towards_the_population_mean() -> None:
    model = GammaGamma(**PUBLISHED_GAMMA_GAMMA)
    population = 6.25 * 15.44 / (3.74 - 1)  # p * gamma / (q - 1) = 35.22
    no_repeat, one, many = expected_value(model, [0, 1, 50], [0, 100.0, 100.0])
    assert no_repeat == pytest.approx(population, rel=1e-12)
    assert one == pytest.approx(6.25 * (15.44 + 100) / (6.25 + 3.74 - 1), rel=1e-12)  # 80.30
    assert population < one < many < 100
    # Left out of the fit (mean 0, two free repeat orders) but scored the same way: below the population mean.
    free = expected_value(model, [2], [0.0])[0]
    assert free == pytest.approx(6.25 * 15.44 / (2 * 6.25 + 3.74 - 1), rel=1e-12) and free < population


def test_lifetime_value_is_discounted_expected_purchases_times_value() -> None:
    args = ([2.0], [30.43], [38.86])
    value = np.array([40.0])
    undiscounted = lifetime_value(CDNOW_MODEL, value, *args, months=3, monthly_discount=0.0, days_per_month=4)
    assert undiscounted[0] == pytest.approx(40 * expected_purchases(CDNOW_MODEL, 12, *args)[0], rel=1e-12)
    discounted = lifetime_value(CDNOW_MODEL, value, *args, months=3, monthly_discount=0.01, days_per_month=4)
    months = [expected_purchases(CDNOW_MODEL, 4 * m, *args)[0] for m in range(4)]
    by_hand = sum((months[m] - months[m - 1]) * 40 / 1.01**m for m in range(1, 4))
    assert discounted[0] == pytest.approx(by_hand, rel=1e-12) and discounted[0] < undiscounted[0]


def test_cume_dist_ties_share_the_highest_rank() -> None:
    assert list(cume_dist([5.0, 1.0, 5.0, 3.0])) == [1.0, 0.25, 1.0, 0.5]


def test_the_demo_build_scores_its_buyers(demo: Build) -> None:
    rows = demo.query("""
        select clv_frequency, clv_recency_days, clv_age_days, p_alive, expected_orders_30d, expected_orders_90d,
               expected_order_value, predicted_clv_12m, predicted_clv_percentile, frequency
        from contact_features
    """)  # fmt: skip
    buyers = [r for r in rows if r[9] > 0]
    assert len(buyers) > 100
    assert all(r[0] is None and r[3] is None and r[7] is None for r in rows if r[9] == 0)
    for x, t_x, age, alive, e30, e90, value, clv, pct, _ in buyers:
        assert 0 <= t_x <= age and x >= 0
        assert alive == 1.0 if x == 0 else 0 < alive < 1
        assert 0 < e30 < e90 and value > 0 and clv > 0 and 0 < pct <= 1
    parameters = demo.query("select model, parameter, value, buyers_fitted from clv_model_parameters order by all")
    assert [(m, p) for m, p, _, _ in parameters] == [
        ("bg_nbd", "a"), ("bg_nbd", "alpha"), ("bg_nbd", "b"), ("bg_nbd", "r"),
        ("gamma_gamma", "gamma"), ("gamma_gamma", "p"), ("gamma_gamma", "q"),
    ]  # fmt: skip
    repeat = demo.scalar("select count(*) from contact_features where clv_avg_repeat_value > 0")
    assert {m: n for m, _, _, n in parameters} == {"bg_nbd": len(buyers), "gamma_gamma": repeat}
    assert all(math.isfinite(v) and v > 0 for _, _, v, _ in parameters)
