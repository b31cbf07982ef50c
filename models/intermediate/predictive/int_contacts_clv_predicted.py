"""docs/predictions.md: each buyer scored with the fitted BG/NBD and Gamma-Gamma models.

One row per buyer (a contact with a counted order in the RFM lookback); time in days.
A score whose model was not fitted is null. predicted_clv_percentile is the share of
scored buyers whose predicted value is at most this one's (SQL's cume_dist()).
"""

from typing import Any

import numpy as np
import pyarrow as pa
from predictive import BgNbd, GammaGamma, cume_dist, expected_purchases, expected_value, lifetime_value, p_alive


def model(dbt: Any, session: Any) -> pa.Table:
    horizons = [int(days) for days in dbt.config.get("clv_horizon_days")]
    months = int(dbt.config.get("clv_months"))
    discount = float(dbt.config.get("clv_discount_rate_monthly"))
    parameters: dict[str, dict[str, float]] = {}
    for model_name, parameter, value, _ in dbt.ref("int_clv_models_fitted").fetchall():
        parameters.setdefault(model_name, {})[parameter] = value
    buyers = dbt.ref("int_contacts_orders_summarised").query("buyers", """
        select contact_id, clv_frequency, clv_recency_days, clv_age_days,
               coalesce(cast(clv_avg_repeat_value as double), 0) as clv_avg_repeat_value
        from buyers
        order by contact_id
    """).fetchnumpy()  # fmt: skip
    x, t_x, age = buyers["clv_frequency"], buyers["clv_recency_days"], buyers["clv_age_days"]
    empty = np.full(len(x), np.nan)
    bg = BgNbd(**parameters["bg_nbd"]) if "bg_nbd" in parameters else None
    gg = GammaGamma(**parameters["gamma_gamma"]) if "gamma_gamma" in parameters else None
    scores: dict[str, Any] = {"contact_id": buyers["contact_id"]}
    scores["p_alive"] = p_alive(bg, x, t_x, age) if bg else empty
    for days in horizons:
        scores[f"expected_orders_{days}d"] = expected_purchases(bg, days, x, t_x, age) if bg else empty
    value = expected_value(gg, x, buyers["clv_avg_repeat_value"]) if gg else empty
    scores["expected_order_value"] = value
    clv = lifetime_value(bg, value, x, t_x, age, months, discount) if bg and gg else empty
    scores[f"predicted_clv_{months}m"] = clv
    scores["predicted_clv_percentile"] = cume_dist(clv) if bg and gg else empty
    # from_pandas: a NaN (no model) is stored as null.
    return pa.table({name: pa.array(values, type=pa.string() if name == "contact_id" else pa.float64(),
                                     from_pandas=True) for name, values in scores.items()})  # fmt: skip
