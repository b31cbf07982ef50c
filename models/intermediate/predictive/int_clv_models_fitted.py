"""docs/predictions.md: BG/NBD and Gamma-Gamma fitted by maximum likelihood on this warehouse's buyers.

BG/NBD is fitted on every buyer, grouped by (frequency, recency, age): buyers with the
same three numbers add the same term to the likelihood, so the fit is exact and its
cost grows with the distinct triples, not with the buyers. Gamma-Gamma is fitted on the
buyers with a repeat purchase of positive mean value, grouped the same way by
(frequency, mean value). BG/NBD needs clv_min_buyers buyers and clv_min_repeat_buyers of
those; Gamma-Gamma the latter. A model short of its minimum, or whose fit does not
converge, gets no rows, and its scores are null.
"""

from dataclasses import asdict
from typing import Any

import pyarrow as pa
from predictive import fit_bg_nbd, fit_gamma_gamma

SCHEMA = pa.schema([("model", pa.string()), ("parameter", pa.string()), ("value", pa.float64()),
                    ("buyers_fitted", pa.int64())])  # fmt: skip


def model(dbt: Any, session: Any) -> pa.Table:
    min_buyers = int(dbt.config.get("clv_min_buyers"))
    min_repeat_buyers = int(dbt.config.get("clv_min_repeat_buyers"))
    buyers = dbt.ref("int_contacts_orders_summarised")
    triples = buyers.query("buyers", """
        select clv_frequency, clv_recency_days, clv_age_days, count(*) as buyers
        from buyers
        group by all
        order by all
    """).fetchnumpy()  # fmt: skip
    repeat = buyers.query("buyers", """
        select clv_frequency, cast(clv_avg_repeat_value as double) as clv_avg_repeat_value, count(*) as buyers
        from buyers
        where clv_frequency > 0 and clv_avg_repeat_value > 0
        group by all
        order by all
    """).fetchnumpy()  # fmt: skip
    rows: list[tuple[str, str, float, int]] = []
    fitted_buyers = int(triples["buyers"].sum())
    repeat_buyers = int(repeat["buyers"].sum())
    # Only repeat buyers tell BG/NBD about dropping out (a, b): it needs enough of them too.
    if fitted_buyers >= min_buyers and repeat_buyers >= min_repeat_buyers:
        bg = fit_bg_nbd(triples["clv_frequency"], triples["clv_recency_days"], triples["clv_age_days"],
                        triples["buyers"])  # fmt: skip
        if bg is not None:
            rows += [("bg_nbd", name, value, fitted_buyers) for name, value in asdict(bg).items()]
    if repeat_buyers >= min_repeat_buyers:
        gg = fit_gamma_gamma(repeat["clv_frequency"], repeat["clv_avg_repeat_value"], repeat["buyers"])
        if gg is not None:
            rows += [("gamma_gamma", name, value, repeat_buyers) for name, value in asdict(gg).items()]
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row, strict=True)) for row in rows], schema=SCHEMA)
