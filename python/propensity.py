"""docs/predictions.md "Purchase propensity": train, calibrate, measure and score the model.

The dbt Python models int_propensity_models_trained and int_contacts_propensity_scored
are shells over these functions, which the tests call directly too. The features are
the columns the training set shares with int_contacts_propensity_features: a number is
a number, a text a category (its code among the training rows' sorted values; a value
unseen in training is missing, which the trees treat as their own branch).

Out of time: the classifier is fitted on every snapshot but the last, the last is the
test set. 20 % of the training snapshots' contacts (by a stable hash) are held out to
calibrate it (isotonic). Fixed seeds and inputs ordered by (snapshot, contact): the
same training set gives the same model and the same scores.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

# The as_of the feature models were built for: that of the latest run of the run manifest
# (a run that selects only the predictive models reads the state as that run left it).
RUN_AS_OF_SQL = "select as_of_date from runs order by run_number desc limit 1"
# Training-set columns that are not features.
NOT_FEATURES = ("propensity_snapshot_id", "snapshot_date", "contact_id", "sample_bucket", "has_reached_goal")
# The BG/NBD ranking the model is compared with on the same test snapshot.
BASELINE = "expected_orders_30d"
CALIBRATION_SHARE = 5  # contacts whose sample_bucket is a multiple of 5 (20 %) calibrate
SEED = 0
IMPORTANCE_ROWS = 20_000
TOP_FEATURES = 10


@dataclass
class Trained:
    """A trained model: what scoring needs (the artifact) and what its test measured."""

    artifact: bytes
    features: list[str]
    metrics: dict[str, Any] = field(default_factory=dict)


def to_columns(table: Any) -> dict[str, np.ndarray]:
    """A pyarrow table as numpy arrays: numbers (decimals too) with nulls as float NaN, text and nullable booleans
    as objects."""
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_decimal(column.type):
            column = pc.cast(column, pa.float64())
        columns[name] = column.to_numpy(zero_copy_only=False)
    return columns


def feature_names(columns: list[str]) -> list[str]:
    return [name for name in columns if name not in NOT_FEATURES]


def encode(columns: dict[str, np.ndarray], features: list[str], categories: dict[str, list[str]]) -> np.ndarray:
    """The feature matrix: numbers as float (null is NaN), categories as their code (null or unseen is NaN)."""
    rows = len(columns[features[0]]) if features else 0
    matrix = np.empty((rows, len(features)), dtype=np.float64)
    for i, name in enumerate(features):
        values = columns[name]
        if name in categories:
            # The position in the sorted training categories; null and unseen values have none (NaN).
            codes = pc.index_in(pa.array(values, type=pa.string()), value_set=pa.array(categories[name], pa.string()))
            matrix[:, i] = codes.to_numpy(zero_copy_only=False)
        else:  # numbers, and nullable booleans (objects): None becomes NaN
            matrix[:, i] = np.asarray(values, dtype=np.float64)
    return matrix


def text_columns(columns: dict[str, np.ndarray], features: list[str]) -> list[str]:
    return [name for name in features if columns[name].dtype == object and any(isinstance(v, str)
                                                                                  for v in columns[name])]  # fmt: skip


def calibration_by_decile(probability: np.ndarray, label: np.ndarray) -> tuple[float, list[dict[str, float]]]:
    """Mean absolute gap between predicted and observed rates over the ten deciles of prediction."""
    order = np.argsort(probability, kind="stable")
    deciles = []
    for part in np.array_split(order, 10):
        if len(part):
            deciles.append({"predicted": float(probability[part].mean()), "observed": float(label[part].mean()),
                            "rows": len(part)})  # fmt: skip
    error = float(np.mean([abs(d["predicted"] - d["observed"]) for d in deciles])) if deciles else float("nan")
    return error, deciles


def measure(probability: np.ndarray, label: np.ndarray) -> dict[str, Any]:
    """ROC AUC, PR AUC, Brier score and calibration by decile of one ranking on one labelled set."""
    both = len(np.unique(label)) == 2
    error, deciles = calibration_by_decile(probability, label)
    return {
        "roc_auc": float(roc_auc_score(label, probability)) if both else None,
        "pr_auc": float(average_precision_score(label, probability)) if both else None,
        "brier_score": float(brier_score_loss(label, probability)),
        "calibration_error": error,
        "calibration_deciles": deciles,
    }


def train(columns: dict[str, np.ndarray], min_positive_rows: int) -> tuple[Trained | None, str]:
    """Fit, calibrate and test on a training set (its rows ordered by snapshot, then contact).

    Returns the trained model, or None with the reason it was not trained."""
    snapshots = np.unique(columns["snapshot_date"])
    if len(snapshots) < 2:
        return None, f"{len(snapshots)} closed snapshot(s) in the training set, at least 2 needed"
    label = columns["has_reached_goal"].astype(bool)
    is_test = columns["snapshot_date"] == snapshots[-1]
    is_calibration = ~is_test & (columns["sample_bucket"] % CALIBRATION_SHARE == 0)
    is_fit = ~is_test & ~is_calibration
    if int(label[is_fit].sum()) < min_positive_rows:
        return None, f"{int(label[is_fit].sum())} goal-reaching training rows, at least {min_positive_rows} needed"
    features = feature_names(list(columns))
    texts = text_columns(columns, features)
    categories = {name: sorted({v for v in columns[name][is_fit] if isinstance(v, str)}) for name in texts}
    matrix = encode(columns, features, categories)
    classifier = HistGradientBoostingClassifier(
        categorical_features=np.array([name in categories for name in features], dtype=bool),
        max_iter=300,
        learning_rate=0.05,
        l2_regularization=1.0,
        early_stopping=True,
        random_state=SEED,
    )
    classifier.fit(matrix[is_fit], label[is_fit])
    calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    calibrator.fit(classifier.predict_proba(matrix[is_calibration])[:, 1], label[is_calibration])
    model = {"classifier": classifier, "calibrator": calibrator, "features": features, "categories": categories,
             "sklearn_version": sklearn.__version__}  # fmt: skip
    test = predict(model, matrix[is_test])
    metrics = measure(test, label[is_test])
    expected = np.nan_to_num(np.asarray(columns[BASELINE][is_test], dtype=np.float64))  # a non-buyer (null): 0
    # BG/NBD gives expected orders; as a probability of at least one: 1 - e^-E (Poisson).
    metrics["baseline"] = {"ranking": BASELINE, **measure(1 - np.exp(-expected), label[is_test])}
    metrics.update(
        test_snapshot_date=str(snapshots[-1]),
        training_snapshots=len(snapshots) - 1,
        training_rows=int(is_fit.sum()),
        calibration_rows=int(is_calibration.sum()),
        test_rows=int(is_test.sum()),
        base_rate=float(label[is_test].mean()),
        iterations=int(classifier.n_iter_),
        top_features=top_features(classifier, matrix[is_test], label[is_test], features),
    )
    return Trained(pickle.dumps(model), features, metrics), "trained"


def top_features(classifier: Any, matrix: np.ndarray, label: np.ndarray, features: list[str]) -> list[dict[str, Any]]:
    """Permutation importance (drop in ROC AUC) on up to IMPORTANCE_ROWS test rows, highest first."""
    rows = np.random.default_rng(SEED).permutation(len(label))[:IMPORTANCE_ROWS]
    if len(np.unique(label[rows])) < 2:
        return []
    result = permutation_importance(classifier, matrix[rows], label[rows], scoring="roc_auc", n_repeats=3,
                                    random_state=SEED)  # fmt: skip
    ranked = sorted(zip(features, result.importances_mean, strict=True), key=lambda item: (-item[1], item[0]))
    return [{"feature": name, "auc_drop": round(float(drop), 5)} for name, drop in ranked[:TOP_FEATURES]]


def predict(model: dict[str, Any], matrix: np.ndarray) -> np.ndarray:
    raw = model["classifier"].predict_proba(matrix)[:, 1]
    return np.asarray(model["calibrator"].predict(raw), dtype=np.float64)


def load(artifact: bytes) -> dict[str, Any]:
    # Unpickling runs code: the artifact must come from this warehouse's own int_propensity_models_trained.
    model: dict[str, Any] = pickle.loads(artifact)
    return model


def score(artifact: bytes, columns: dict[str, np.ndarray]) -> np.ndarray:
    """Calibrated probabilities for the rows of `columns` (the current features)."""
    model = load(artifact)
    return predict(model, encode(columns, model["features"], model["categories"]))


def deciles(probability: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """1..10 by probability (10 the highest tenth), ties ordered by key: SQL's ntile(10) over (order by p, key)."""
    order = np.lexsort((keys, probability))
    result = np.empty(len(order), dtype=np.int64)
    n = len(order)
    # ntile: the first n % 10 tiles get one row more.
    sizes = [n // 10 + (1 if i < n % 10 else 0) for i in range(10)]
    result[order] = np.repeat(np.arange(1, 11), sizes)
    return result


def retrain_reason(previous: dict[str, Any] | None, as_of: Any, features: list[str], every_days: int) -> str | None:
    """Why a run must train, or None when the stored model still scores the day; `previous` is the latest model
    trained on or before as_of (a run that could not train does not count)."""
    if previous is None:
        return "no model trained on or before as_of"
    if sorted(json.loads(previous["feature_names"])) != sorted(features):
        return "the feature list changed"
    if previous["sklearn_version"] != sklearn.__version__:
        return f"scikit-learn changed ({previous['sklearn_version']} -> {sklearn.__version__})"
    age = (as_of - previous["trained_as_of_date"]).days
    if age >= every_days:
        return f"the model is {age} days old (propensity_retrain_every_days: {every_days})"
    return None
