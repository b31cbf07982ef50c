"""Tags, attributes, suppressions, erasure requests, FX rates and the exclusion list."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import pick, repeat, stamps, text, vocab
from .contacts import ContactChunk
from .vocabularies import COLORS, FX_RATES, INTERESTS, TAG_WEIGHTS, TAGS, Options

# --- Tags, attributes, suppressions and erasure requests -----------------------------------------


def make_side_tables(rng: np.random.Generator, c: ContactChunk) -> dict[str, pa.Table]:
    n = len(c.ids)
    n_tags = rng.choice(np.array([0, 0, 1, 1, 2, 3]), n)
    tag_owner = np.repeat(np.arange(n), n_tags)
    tag = vocab(TAGS, pick(rng, len(TAGS), TAG_WEIGHTS, len(tag_owner)))
    tag = pc.if_else(pa.array(rng.random(len(tag_owner)) < 0.1), " Eco_Conscious", tag)
    tagged = c.created[tag_owner] + np.timedelta64(1, "D")
    tag_contact = pc.if_else(
        pa.array(rng.random(len(tag_owner)) < 0.005), "C9999998", c.id_text.take(pa.array(tag_owner))
    )
    tags = pa.table({"contact_id": tag_contact, "tag": tag, "tagged_at": stamps(tagged)})

    def attribute(mask: np.ndarray, name: str, values: pa.Array, kind: str) -> pa.Table:
        owners = np.flatnonzero(mask)
        return pa.table({
            "owner": pa.array(owners), "attribute_name": repeat(name, len(owners)),
            "attribute_value": values.filter(pa.array(mask)), "attribute_type": repeat(kind, len(owners)),
        })  # fmt: skip

    sizes = pc.cast(pa.array(rng.integers(36, 47, n)), pa.string())
    sizes = pc.if_else(pa.array(rng.random(n) < 0.02), "abc", sizes)
    interest_sets = np.array(["|".join(sorted(INTERESTS[list(s)])) for s in _subsets(len(INTERESTS), 3)])
    flags = np.array(["true", "false", "yes", "no", "1", "0", "TRUE", "maybe"])
    parts = [
        attribute(rng.random(n) < 0.5, "shoe_size", sizes, "number"),
        attribute(rng.random(n) < 0.4, "favorite_color", vocab(COLORS, rng.integers(0, len(COLORS), n)), "one_of"),
        attribute(rng.random(n) < 0.35, "interests", vocab(interest_sets, rng.integers(0, len(interest_sets), n)),
                  "many_of"),
        attribute(rng.random(n) < 0.3, "is_b2b",
                  vocab(flags, rng.choice(len(flags), n, p=[0.2, 0.3, 0.1, 0.1, 0.1, 0.1, 0.09, 0.01])), "boolean"),
        attribute(rng.random(n) < 0.005, "loyalty_tier", repeat("gold", n), "tier"),
    ]  # fmt: skip
    stacked = pa.concat_tables(parts)
    order = pc.sort_indices(stacked["owner"])
    stacked = stacked.take(order)  # per contact, in the order above (the sort is stable)
    owner = stacked["owner"].to_numpy()
    attrs = pa.table({
        "contact_id": c.id_text.take(pa.array(owner)), "attribute_name": stacked["attribute_name"],
        "attribute_value": stacked["attribute_value"], "attribute_type": stacked["attribute_type"],
        "updated_at": stamps(c.created[owner] + np.timedelta64(2, "D")),
    })  # fmt: skip

    has_email = pc.not_equal(c.email, "").to_numpy(zero_copy_only=False)
    sup = np.flatnonzero((rng.random(n) < 0.015) & has_email)
    sup_email = c.email.take(pa.array(sup))
    sup_email = pc.if_else(pa.array(rng.random(len(sup)) < 0.3), pc.utf8_upper(sup_email), sup_email)
    suppressions = pa.table({
        "email": sup_email,
        "reason": vocab(["unsubscribed", "hard_bounce", "complaint", "manual"], rng.integers(0, 4, len(sup))),
        "suppressed_at": stamps(c.created[sup] + np.timedelta64(20, "D")),
    })  # fmt: skip

    erase = np.flatnonzero(rng.random(n) < 0.003)
    by = rng.random(len(erase))
    erasures = pa.table({
        "contact_id": pc.if_else(pa.array(by < 0.7), c.id_text.take(pa.array(erase)), ""),
        "email": pc.if_else(pa.array(by >= 0.4), pc.utf8_upper(c.email.take(pa.array(erase))), ""),
        "requested_at": stamps(c.created[erase] + np.timedelta64(40, "D")),
    })  # fmt: skip
    c.landed.update({
        "contact_tags": tagged, "contact_attributes": c.created[owner] + np.timedelta64(2, "D"),
        "suppressions": c.created[sup] + np.timedelta64(20, "D"), "erasure_requests": c.created[erase]
        + np.timedelta64(40, "D"),
    })  # fmt: skip
    return {
        "contact_tags": tags,
        "contact_attributes": attrs,
        "suppressions": suppressions,
        "erasure_requests": erasures,
    }


def _subsets(size: int, largest: int) -> list[tuple[int, ...]]:
    """Every non-empty subset of range(size) with at most `largest` members, in a fixed order."""
    from itertools import combinations

    return [s for k in range(1, largest + 1) for s in combinations(range(size), k)]


def fx_table() -> pa.Table:
    return pa.table({"currency": text(list(FX_RATES)), "rate_to_reporting": text(list(FX_RATES.values()))})


def exclusions_table(opts: Options) -> pa.Table:
    """A fixed global exclusion list: a staff domain, a legal hold for good and one that has ended."""
    start = opts.start_ts
    return pa.table({
        "pattern": text(["@ourshop.example", "C0000002", "C0000005"]),
        "reason": text(["staff", "legal_hold", "test_account"]),
        "excluded_at": stamps(np.array([start, start, start])),
        "until": text(["", "", str((start + np.timedelta64(10, "D")).astype("datetime64[D]"))]),
    })  # fmt: skip
