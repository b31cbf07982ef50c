"""The cost curve of `segments benchmark --sizes`: time per million events against size.

From the benchmark's results at each size: per run (full build, daily run, no-batch day)
its wall time, seconds per million events (of the whole history: the size of what a run
may read) and peak RSS; the warehouse's size on disk; the curve drawn as an SVG by
matplotlib, beside the yardstick's (the plain DuckDB job on the same data: how the
engine's own work grows); and the targets: at the largest size each run's seconds per
million events at most GROWTH times those at the size before it, and every phase's peak
RSS at most the benchmark's peak_rss_gib target.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RUNS = ("full", "daily", "no_batch")
GROWTH = 1.25
RSS_GIB = 3.0


def per_million_events(seconds: float, events: int) -> float:
    """Seconds per million events, to the millisecond."""
    return round(seconds / (events / 1e6), 3)


def curve_rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per size: contacts, events, warehouse bytes, and per run its seconds, s per million events, RSS."""
    rows = []
    for result in sorted(results, key=lambda r: r["contacts"]):
        events = result["data"]["rows"]["events"]
        phases = {p["name"]: p for p in result["phases"]}
        row: dict[str, Any] = {"contacts": result["contacts"], "events": events,
                               "warehouse_bytes": result["warehouse_bytes"]}  # fmt: skip
        for run in RUNS:
            row[run] = {
                "seconds": phases[run]["wall_s"],
                "s_per_million_events": per_million_events(phases[run]["wall_s"], events),
                "peak_rss_gib": phases[run]["peak_rss_gib"],
            }
        # The plain DuckDB job on the same data, for reference: how the engine's own work grows with size.
        row["yardstick"] = {
            "seconds": phases["yardstick"]["wall_s"],
            "s_per_million_events": per_million_events(phases["yardstick"]["wall_s"], events),
        }
        # The warehouse's phases, as the benchmark's own peak_rss_gib: not the yardstick's, nor Spark's.
        row["peak_rss_gib"] = max(p["peak_rss_gib"] for p in result["phases"]
                                  if p["name"] != "yardstick" and not p["name"].startswith("spark"))  # fmt: skip
        rows.append(row)
    return rows


def growth_at_largest(rows: list[dict[str, Any]], run: str) -> float | None:
    """A run's s per million events at the largest size over the size before it; None with one size."""
    if len(rows) < 2:
        return None
    return rows[-1][run]["s_per_million_events"] / rows[-2][run]["s_per_million_events"]


def yardstick_growth(rows: list[dict[str, Any]]) -> float | None:
    """The yardstick's growth at the largest size: no target, a reference."""
    growth = growth_at_largest(rows, "yardstick")
    return None if growth is None else round(growth, 3)


def curve_targets(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Growth of each run's s per million events from the size before the largest to the largest, and RSS."""
    targets: dict[str, dict[str, Any]] = {}
    for run in RUNS:
        growth = growth_at_largest(rows, run)
        if growth is not None:
            targets[f"{run}_per_million_growth"] = {"target": GROWTH, "value": round(growth, 3),
                                                    "met": growth <= GROWTH}  # fmt: skip
    peak = max(row["peak_rss_gib"] for row in rows)
    targets["peak_rss_gib"] = {"target": RSS_GIB, "value": peak, "met": peak <= RSS_GIB}
    return targets


def draw(rows: list[dict[str, Any]], path: Path) -> None:
    """Seconds per million events against contacts (log scale), one line per run."""
    import matplotlib

    matplotlib.use("Agg")  # no display: write the file only
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "cost-curve"  # the same figures give the same file
    figure, axes = plt.subplots(figsize=(7, 4))
    contacts = [row["contacts"] for row in rows]
    for run, label in zip(RUNS, ("full build", "daily run", "no-batch day"), strict=True):
        axes.plot(contacts, [row[run]["s_per_million_events"] for row in rows], marker="o", label=label)
    yardstick = [row["yardstick"]["s_per_million_events"] for row in rows]
    axes.plot(contacts, yardstick, marker=".", linestyle="--", color="grey", label="yardstick (plain DuckDB)")
    axes.set_xscale("log")
    axes.set_xticks(contacts, [f"{c / 1e6:g}M" if c >= 1e6 else f"{c / 1e3:g}k" for c in contacts])
    axes.set_xlabel("contacts")
    axes.set_ylabel("seconds per million events")
    axes.set_ylim(bottom=0)
    axes.set_title("Cost per million events against size (2 cores, DuckDB memory_limit 2 GB)")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Date": None})
    plt.close(figure)


def cost_curve(results: list[dict[str, Any]], svg: Path) -> int:
    """Print the curve's table and targets, draw it, and write it as JSON beside the SVG; exit status 0."""
    rows = curve_rows(results)
    targets = curve_targets(rows)
    print(f"\ncost curve ({len(rows)} sizes)")
    print(f"{'contacts':>10} {'events':>12} {'warehouse':>10}" + "".join(f" {run + ' s':>11} {'s/M ev':>7} {'GiB':>5}"
                                                                        for run in RUNS))  # fmt: skip
    for row in rows:
        cells = "".join(f" {row[r]['seconds']:>11.1f} {row[r]['s_per_million_events']:>7.2f} "
                        f"{row[r]['peak_rss_gib']:>5.2f}" for r in RUNS)  # fmt: skip
        print(f"{row['contacts']:>10,} {row['events']:>12,} {row['warehouse_bytes'] / 1024**3:>8.2f}Gi{cells}")
    for name, target in targets.items():
        print(f"{name:<28} {target['value']:>7.3f}  (target <= {target['target']}): "
              f"{'met' if target['met'] else 'MISSED'}")  # fmt: skip
    growth = yardstick_growth(rows)
    if growth is not None:
        print(f"{'yardstick_per_million_growth':<28} {growth:>7.3f}  (no target: plain DuckDB, same data)")
    draw(rows, svg)
    svg.with_suffix(".json").write_text(json.dumps({"rows": rows, "targets": targets,
                                                    "yardstick_per_million_growth": growth}, indent=2))  # fmt: skip
    print(f"curve: {svg}")
    return 0
