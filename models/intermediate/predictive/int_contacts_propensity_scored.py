"""docs/predictions.md "Purchase propensity": every sendable contact scored by the stored model.

The model is the latest one trained on or before as_of (int_propensity_models_trained,
which trains first when one is due). Without one (none trained yet: too few snapshots or
goals), or when it is suspected of a leak, there are no rows and the columns of
contact_features are null. purchase_propensity_decile is 1..10 by the calibrated
probability, 10 the highest tenth, ties ordered by contact_id (SQL's ntile).
"""

from typing import Any

import numpy as np
import pyarrow as pa
from propensity import RUN_AS_OF_SQL, deciles, score, to_columns

SCHEMA = pa.schema([("contact_id", pa.string()), ("model_version", pa.string()),
                    ("purchase_propensity", pa.float64()), ("purchase_propensity_decile", pa.int64())])  # fmt: skip


def model(dbt: Any, session: Any) -> pa.Table:
    as_of = dbt.ref("int_incremental_runs").query("runs", RUN_AS_OF_SQL).fetchall()[0][0]
    latest = dbt.ref("int_propensity_models_trained").query("models", f"""
        select model_version, model_artifact, is_leakage_suspected from models
        where trained_as_of_date <= date '{as_of.isoformat()}' and is_trained
        order by trained_as_of_date desc limit 1
    """).fetchall()  # fmt: skip
    latest = latest[0] if latest else None
    if latest is None or latest[1] is None or latest[2]:
        return SCHEMA.empty_table()
    features = dbt.ref("int_contacts_propensity_features")
    sendable = dbt.ref("int_contacts_sendability_evaluated")
    rows = features.join(sendable.filter("is_email_sendable").select("contact_id").set_alias("s"), "contact_id")
    columns = to_columns(rows.order("contact_id").to_arrow_table())
    if len(columns["contact_id"]) == 0:
        return SCHEMA.empty_table()
    probability = score(bytes(latest[1]), columns)
    return pa.table({
        "contact_id": pa.array(columns["contact_id"], pa.string()),
        "model_version": pa.array([latest[0]] * len(probability), pa.string()),
        "purchase_propensity": pa.array(probability, pa.float64()),
        "purchase_propensity_decile": pa.array(deciles(probability, np.asarray(columns["contact_id"])), pa.int64()),
    }, schema=SCHEMA)  # fmt: skip
