"""Generate realistic synthetic raw marketing data for the segmentation warehouse.

Writes the landing tables (docs/landing.md: contacts, events, contact_tags,
contact_attributes, suppressions, erasure_requests, fx_rates) as CSV or Parquet into
one folder, ready for ``dbt build --vars '{raw_data_path: DIR}'``: one file per table,
or with ``--batches daily`` one folder per table holding a file per landing day
(``events/2026-10-31.parquet``), the way EL tools deliver data.

The output is deterministic for a given ``--seed`` and set of options: contacts are
generated in fixed-size chunks, each from its own child of the seed, and streamed
to disk, so memory stays bounded whatever ``--contacts`` is. Every column is built
with NumPy and Arrow compute (no per-row Python), so 1M contacts and ~50M events take
a few minutes.

What makes it believable:
  * most contacts never buy; order values are log-normal (a few big spenders), and
    buyers come back at their own rate;
  * email engagement decays with the age of the subscription, varies per contact,
    and ~20 % of contacts read mail behind Apple Mail Privacy Protection
    (machine opens);
  * visits come from search, social, email, affiliates or nowhere (utm_source /
    utm_medium), land on category, product, search and sale pages, and people search;
  * loyalty points are earned on orders and redeemed later;
  * acquisition source, country, time zone, language and device vary per contact;
  * a small share of every table is dirty the way real exports are: mixed-case
    and padded emails, duplicate contact rows, people signed up twice, aliased and
    unknown event types, offsets on timestamps, unparseable and future timestamps,
    duplicate event ids, purchases without an order id, currencies without an FX
    rate, invalid attribute values and time zones, suppressions and erasure requests;
  * in daily batches, a few events land days late (up to 60) and some are replayed.

Examples:
    segments generate --out seeds/demo            # the committed demo seeds
    segments generate --contacts 1000000 --days 365 --format parquet --out data/1m
    segments generate --contacts 5000 --batches daily --format parquet --out data/daily
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from .vocabularies import DEMO_DEFAULTS, Options
from .writer import generate


def parse_args(argv: list[str] | None = None) -> tuple[Options, bool]:
    """Options from the command line, and whether to be quiet."""
    parser = argparse.ArgumentParser(
        prog="segments generate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=DEMO_DEFAULTS["seed"], help="random seed (default: %(default)s)")
    parser.add_argument(
        "--contacts", type=int, default=DEMO_DEFAULTS["contacts"], help="number of contact ids (default: %(default)s)"
    )
    parser.add_argument(
        "--days", type=int, default=DEMO_DEFAULTS["days"], help="days of event history (default: %(default)s)"
    )
    parser.add_argument(
        "--end-date",
        default=DEMO_DEFAULTS["end_date"],
        help="last day of the data, YYYY-MM-DD; use it as the build's as_of (default: %(default)s)",
    )
    parser.add_argument(
        "--format", dest="fmt", choices=["csv", "parquet"], default="csv", help="file format (default: %(default)s)"
    )
    parser.add_argument(
        "--batches",
        choices=["none", "daily"],
        default="none",
        help="none: one file per table; daily: a folder per table with one file per landing day (default: none)",
    )
    parser.add_argument(
        "--activity",
        type=float,
        default=1.0,
        help="multiplies every contact's site sessions, hence browsing and buying events (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder, created if missing")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    if args.contacts < 1:
        parser.error("--contacts must be at least 1")
    if args.days < 1:
        parser.error("--days must be at least 1")
    if args.activity <= 0:
        parser.error("--activity must be positive")
    try:
        end_date = dt.date.fromisoformat(args.end_date)
    except ValueError:
        parser.error(f"--end-date must be YYYY-MM-DD, got {args.end_date!r}")
    opts = Options(args.seed, args.contacts, args.days, end_date, args.fmt, args.out, args.activity, args.batches)
    return opts, args.quiet


def main(argv: list[str] | None = None) -> int:
    opts, quiet = parse_args(argv)
    started = time.monotonic()
    counts = generate(opts, progress=not quiet)
    if not quiet:
        summary = ", ".join(f"{t}={n:,}" for t, n in counts.items())
        layout = " in daily batches" if opts.batches == "daily" else ""
        print(f"wrote {opts.fmt}{layout} to {opts.out} in {time.monotonic() - started:.1f}s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
