"""BG/NBD and Gamma-Gamma: fitting by maximum likelihood and scoring (docs/predictions.md).

The dbt Python models of models/intermediate/predictive import this module (the DuckDB
profile's module_paths puts this folder on sys.path); tests/python/test_predictive.py
checks it against the published CDNOW estimates.

BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): per customer,
x repeat purchases, t_x the time of the last one and T the time since the first, all
from the first purchase. Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): the
mean value of the x repeat purchases. Why SciPy and not a CLV package: docs/decisions.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

Array = NDArray[np.float64]

# The optimiser works on log-parameters (every parameter is positive); beyond these
# bounds (e^-20 .. e^20) a parameter is running away: the data do not identify it.
LOG_BOUND = 20.0


@dataclass(frozen=True)
class BgNbd:
    """Purchase rate ~ Gamma(r, alpha); dropout probability after each purchase ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGamma:
    """Value per purchase ~ Gamma(p, nu), nu ~ Gamma(q, gamma) across customers."""

    p: float
    q: float
    gamma: float


def _floats(values: ArrayLike) -> Array:
    return np.asarray(values, dtype=np.float64)


def _weights(weight: ArrayLike | None, rows: Array) -> Array:
    """Each row's customer count: 1 each when the rows are single customers."""
    return np.ones_like(rows) if weight is None else _floats(weight)


def bg_nbd_log_likelihood(model: BgNbd, x: ArrayLike, t_x: ArrayLike, age: ArrayLike) -> Array:
    """Each customer's log-likelihood (FHL 2005, equation 6, in logs)."""
    x, t_x, age = _floats(x), _floats(t_x), _floats(age)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + age)
    # The paper's A4 term is A3 plus the log-odds of having dropped out: log(e^A3 + e^A4) below.
    result: Array = a1 + a2 + a3 + np.logaddexp(0.0, _log_dropout_odds(model, x, t_x, age))
    return result


def gamma_gamma_log_likelihood(model: GammaGamma, x: ArrayLike, mean_value: ArrayLike) -> Array:
    """Each repeat customer's log-likelihood of their mean value (FHL 2005 "RFM and CLV", equation 3)."""
    x, z = _floats(x), _floats(mean_value)
    p, q, g = model.p, model.q, model.gamma
    result: Array = (
        special.gammaln(p * x + q)
        - special.gammaln(p * x)
        - special.gammaln(q)
        + q * np.log(g)
        + (p * x - 1) * np.log(z)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * z + g)
    )
    return result


def _maximise(negative_mean: object, parameters: int) -> NDArray[np.float64] | None:
    """Log-parameters maximising the likelihood from all-ones, or None when they do not converge."""
    bounds = [(-LOG_BOUND, LOG_BOUND)] * parameters
    result = optimize.minimize(negative_mean, np.zeros(parameters), method="L-BFGS-B", bounds=bounds)
    log_parameters: NDArray[np.float64] = result.x
    if not result.success or not np.all(np.isfinite(log_parameters)):
        return None
    if np.any(np.abs(log_parameters) > LOG_BOUND - 1e-3):
        return None
    return log_parameters


def fit_bg_nbd(x: ArrayLike, t_x: ArrayLike, age: ArrayLike, weight: ArrayLike | None = None) -> BgNbd | None:
    """Maximum-likelihood BG/NBD; rows may be distinct (x, t_x, age) with their customer count as weight.

    None without a repeat purchase: a and b (dropout) are then not identified.
    """
    x, t_x, age = _floats(x), _floats(t_x), _floats(age)
    w = _weights(weight, x)
    if not np.any((x > 0) & (w > 0)):
        return None

    def negative_mean(log_parameters: Array) -> float:
        model = BgNbd(*np.exp(log_parameters))
        return float(-np.average(bg_nbd_log_likelihood(model, x, t_x, age), weights=w))

    fitted = _maximise(negative_mean, 4)
    return None if fitted is None else BgNbd(*(float(v) for v in np.exp(fitted)))


def fit_gamma_gamma(x: ArrayLike, mean_value: ArrayLike, weight: ArrayLike | None = None) -> GammaGamma | None:
    """Maximum-likelihood Gamma-Gamma over customers with x > 0 repeat purchases of mean value > 0; rows may be
    distinct (x, mean value) with their customer count as weight.

    None when the fit does not converge or q <= 1 (no finite expected value per purchase).
    """
    x, z = _floats(x), _floats(mean_value)
    w = _weights(weight, x)

    def negative_mean(log_parameters: Array) -> float:
        model = GammaGamma(*np.exp(log_parameters))
        return float(-np.average(gamma_gamma_log_likelihood(model, x, z), weights=w))

    fitted = _maximise(negative_mean, 3)
    if fitted is None or np.exp(fitted[1]) <= 1:
        return None  # q <= 1: the expected value per purchase is infinite
    return GammaGamma(*(float(v) for v in np.exp(fitted)))


def _log_dropout_odds(model: BgNbd, x: Array, t_x: Array, age: Array) -> Array:
    """log(a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)): the log-odds of having dropped out.

    -inf without a repeat purchase: a customer can only drop out right after one.
    """
    ratio = np.log(model.alpha + age) - np.log(model.alpha + t_x)
    with np.errstate(divide="ignore"):
        log_odds = np.log(model.a) - np.log(np.maximum(model.b + x - 1, 1e-300)) + (model.r + x) * ratio
    result: Array = np.where(x > 0, log_odds, -np.inf)
    return result


def p_alive(model: BgNbd, x: ArrayLike, t_x: ArrayLike, age: ArrayLike) -> Array:
    """P(still active | x, t_x, T) (FHL 2005, equation 12 and its note for x = 0)."""
    x, t_x, age = _floats(x), _floats(t_x), _floats(age)
    result: Array = 1.0 / (1.0 + np.exp(_log_dropout_odds(model, x, t_x, age)))
    return result


def expected_purchases(model: BgNbd, horizon: float, x: ArrayLike, t_x: ArrayLike, age: ArrayLike) -> Array:
    """E[purchases in (T, T + horizon] | x, t_x, T] (FHL 2005, equation 10)."""
    x, t_x, age = _floats(x), _floats(t_x), _floats(age)
    if horizon <= 0:
        return np.zeros_like(x)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    z = horizon / (alpha + age + horizon)
    tail = np.exp((r + x) * (np.log(alpha + age) - np.log(alpha + age + horizon)))
    hyper = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    result: Array = (a + b + x - 1) / (a - 1) * (1 - tail * hyper) / (1 + np.exp(_log_dropout_odds(model, x, t_x, age)))
    return result


def expected_value(model: GammaGamma, x: ArrayLike, mean_value: ArrayLike) -> Array:
    """E[value per purchase | x, mean] = p (gamma + x mean) / (p x + q - 1) (FHL 2005 "RFM and CLV", equation 5).

    A weighted mean of the population mean p gamma / (q - 1), which x = 0 gives, and the
    customer's own mean. A customer left out of the fit (mean <= 0) is scored the same way.
    """
    x = _floats(x)
    z = np.where(x > 0, _floats(mean_value), 0.0)
    result: Array = model.p * (model.gamma + x * z) / (model.p * x + model.q - 1)
    return result


def lifetime_value(
    model: BgNbd,
    value: ArrayLike,
    x: ArrayLike,
    t_x: ArrayLike,
    age: ArrayLike,
    months: int,
    monthly_discount: float,
    days_per_month: float = 30.0,
) -> Array:
    """Expected value over the next `months` months of days_per_month days, discounted monthly.

    Each month's expected purchases (the growth of expected_purchases over the month) times
    the expected value per purchase, divided by (1 + monthly_discount)^month.
    """
    worth = _floats(value)
    total = np.zeros_like(worth)
    previous = np.zeros_like(worth)
    for month in range(1, months + 1):
        cumulative = expected_purchases(model, month * days_per_month, x, t_x, age)
        total += (cumulative - previous) * worth / (1 + monthly_discount) ** month
        previous = cumulative
    return total


def cume_dist(values: ArrayLike) -> Array:
    """Share of values at or below each value (SQL's cume_dist(): ties share the highest rank)."""
    v = _floats(values)
    ordered = np.sort(v)
    result: Array = np.searchsorted(ordered, v, side="right") / max(len(v), 1)
    return result
