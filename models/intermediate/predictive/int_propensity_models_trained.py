"""docs/predictions.md "Purchase propensity": one row per training run, with the model.

A run trains when no model was trained on or before as_of, when the latest one is
propensity_retrain_every_days old, or when the feature list or scikit-learn changed
(python/propensity.py retrain_reason); it prints why. Otherwise it adds nothing and the
stored model scores the day. A run that could not train (too few snapshots or goals)
keeps its reason with no model; the next run tries again, and the latest trained model,
if any, keeps scoring. The
model is a pickled scikit-learn pipeline, versioned by its training day. The training and
test rows are sampled by a stable hash of the contact above propensity_max_training_rows
and propensity_max_test_rows.
"""

import datetime as dt
import json
from typing import Any

import pyarrow as pa
import sklearn
from propensity import RUN_AS_OF_SQL, retrain_reason, to_columns, train

SCHEMA = pa.schema([
    ("model_version", pa.string()), ("trained_as_of_date", pa.date32()), ("retrain_reason", pa.string()),
    ("is_trained", pa.bool_()), ("status", pa.string()), ("is_leakage_suspected", pa.bool_()),
    ("feature_names", pa.string()), ("sklearn_version", pa.string()), ("goal", pa.string()),
    ("metrics", pa.string()), ("model_artifact", pa.binary()),
])  # fmt: skip


def model(dbt: Any, session: Any) -> pa.Table:
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="model_version")
    as_of: dt.date = dbt.ref("int_incremental_runs").query("runs", RUN_AS_OF_SQL).fetchall()[0][0]
    features_relation = dbt.ref("int_contacts_propensity_features")
    features = [name for name in features_relation.columns if name != "contact_id"]
    previous = None
    if dbt.is_incremental:
        found = session.sql(f"""
            select feature_names, sklearn_version, trained_as_of_date from {dbt.this}
            where trained_as_of_date <= date '{as_of.isoformat()}' and is_trained
            order by trained_as_of_date desc limit 1
        """).fetchall()  # fmt: skip
        if found:
            previous = dict(zip(("feature_names", "sklearn_version", "trained_as_of_date"), found[0], strict=True))
    reason = retrain_reason(previous, as_of, features, int(dbt.config.get("propensity_retrain_every_days")))
    if reason is None:
        return SCHEMA.empty_table()
    training = dbt.ref("propensity_training_set")
    rows = sample(
        training, int(dbt.config.get("propensity_max_training_rows")), int(dbt.config.get("propensity_max_test_rows"))
    )
    trained, status = train(rows, int(dbt.config.get("propensity_min_positive_rows")))
    auc = trained.metrics["roc_auc"] if trained else None
    leaky = auc is not None and auc > float(dbt.config.get("propensity_max_plausible_auc"))
    if leaky:
        status = f"out-of-time ROC AUC {auc:.3f} is above propensity_max_plausible_auc: a leak is suspected"
    measured = f"; out-of-time ROC AUC {auc:.3f}" if auc is not None and not leaky else ""
    outcome = f"{status}{measured}" if trained else f"not trained: {status}"
    print(f"propensity model as of {as_of}: training ({reason}): {outcome}", flush=True)
    row = {
        "model_version": f"propensity-{as_of.isoformat()}",
        "trained_as_of_date": as_of,
        "retrain_reason": reason,
        "is_trained": trained is not None,
        "status": status,
        "is_leakage_suspected": leaky,
        "feature_names": json.dumps(features),
        "sklearn_version": sklearn.__version__,
        "goal": json.dumps(dbt.config.get("propensity_goal")),
        "metrics": json.dumps(trained.metrics if trained else {}, sort_keys=True),
        "model_artifact": trained.artifact if trained else None,
    }
    return pa.Table.from_pylist([row], schema=SCHEMA)


def sample(training: Any, max_rows: int, max_test_rows: int) -> dict[str, Any]:
    """The training set ordered by (snapshot, contact): the training snapshots' rows sampled by a stable hash of the
    contact when there are more than max_rows, the test snapshot's when it has more than max_test_rows."""
    last, training_rows, test_rows = training.query("t", """
        select max(snapshot_date), count(*) filter (where snapshot_date < (select max(snapshot_date) from t)),
               count(*) filter (where snapshot_date = (select max(snapshot_date) from t))
        from t
    """).fetchall()[0]  # fmt: skip
    if last is None:
        return {"snapshot_date": []}

    def buckets(rows: int, limit: int) -> int:
        return 10000 if rows <= limit else max(1, 10000 * limit // rows)

    return to_columns(training.query("t", f"""
        select * exclude (propensity_snapshot_id) from t
        where sample_bucket < case when snapshot_date = date '{last}' then {buckets(test_rows, max_test_rows)}
                                   else {buckets(training_rows, max_rows)} end
        order by snapshot_date, contact_id
    """).to_arrow_table())  # fmt: skip
