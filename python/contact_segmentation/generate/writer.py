"""Writing the tables: one file per table, or one file per landing day; generate() writes them all."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .contacts import make_contacts
from .events import make_events
from .side_tables import exclusions_table, fx_table, make_side_tables
from .vocabularies import CHUNK_CONTACTS, TABLES, Options

SCRATCH_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


class TableWriter:
    """Streams Arrow tables of one schema to a CSV or Parquet file."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.fmt = fmt
        self.rows = 0
        self._writer: Any = None

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            if self.fmt == "csv":
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(str(self.path), table.schema, write_options=options)
            else:
                self._writer = pq.ParquetWriter(str(self.path), table.schema, compression="zstd")
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


# --- Writing -------------------------------------------------------------------------------------


def landing_days(landed: np.ndarray, opts: Options) -> np.ndarray:
    """The batch day of each row: the day it landed, within the data window."""
    first = opts.start_ts.astype("datetime64[D]")
    return np.clip(landed.astype("datetime64[D]"), first, np.datetime64(opts.end_date, "D"))


class DailyBatches:
    """Rows of one table spread over one file per landing day: <out>/<table>/<YYYY-MM-DD>.<ext>.

    Chunks arrive in generation order; each day's rows are kept in that order in an
    Arrow IPC file (cheap to append to in small pieces) and written out at the end.
    """

    def __init__(self, out: Path, table: str, fmt: str, scratch: Path) -> None:
        self.folder = out / table
        self.fmt = fmt
        self.scratch = scratch / table
        self.scratch.mkdir(parents=True)
        self.rows = 0
        self._writers: dict[str, Any] = {}

    def write(self, table: pa.Table, landed_on: np.ndarray) -> None:
        order = np.argsort(landed_on, kind="stable")
        day_of_row = landed_on[order]
        table = table.take(pa.array(order))
        bounds = np.flatnonzero(np.r_[True, day_of_row[1:] != day_of_row[:-1], True])
        for start, stop in itertools.pairwise(bounds):
            day = str(day_of_row[start])
            if day not in self._writers:
                # Compressed: uncompressed day files of 5M contacts outgrew the disk (over 40 GiB, issue 39).
                self._writers[day] = pa.ipc.new_stream(
                    str(self.scratch / f"{day}.arrows"), table.schema, options=SCRATCH_OPTIONS
                )
            self._writers[day].write_table(table.slice(start, stop - start))
        self.rows += table.num_rows

    def close(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for writer in self._writers.values():
            writer.close()
        # One day file per core at a time: Arrow reads and compresses outside the GIL. Writing the day
        # files one by one was 333 of the 925 s of generating 5M contacts (docs/decisions.md "Cost curve").
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(self._write_day, sorted(self._writers)))

    def _write_day(self, day: str) -> None:
        with pa.ipc.open_stream(str(self.scratch / f"{day}.arrows")) as reader:
            rows = reader.read_all()
        single = TableWriter(self.folder / f"{day}.{'csv' if self.fmt == 'csv' else 'parquet'}", self.fmt)
        single.write(rows)
        single.close()


def generate(opts: Options, progress: bool = True) -> dict[str, int]:
    """Write every landing table into ``opts.out``; return rows written per table."""
    opts.out.mkdir(parents=True, exist_ok=True)
    suffix = "csv" if opts.fmt == "csv" else "parquet"
    for table in TABLES:
        for stale in (opts.out / f"{table}.csv", opts.out / f"{table}.parquet", opts.out / table):
            if stale.is_dir():
                shutil.rmtree(stale)  # one layout and format per folder, so the loader's choice is never ambiguous
            elif stale.exists():
                stale.unlink()
    daily = opts.batches == "daily"
    scratch = Path(tempfile.mkdtemp(prefix=".generate-", dir=opts.out))
    writers: dict[str, Any] = {
        t: DailyBatches(opts.out, t, opts.fmt, scratch) if daily else TableWriter(opts.out / f"{t}.{suffix}", opts.fmt)
        for t in TABLES
    }
    children = np.random.SeedSequence(opts.seed).spawn((opts.contacts + CHUNK_CONTACTS - 1) // CHUNK_CONTACTS)
    event_seq = 1
    started = time.monotonic()
    try:
        for chunk_no, child in enumerate(children):
            rng = np.random.default_rng(child)
            first = chunk_no * CHUNK_CONTACTS + 1
            size = min(CHUNK_CONTACTS, opts.contacts - chunk_no * CHUNK_CONTACTS)
            state, contacts = make_contacts(rng, first, size, opts)
            events, event_seq = make_events(rng, state, opts, event_seq)
            tables = {"contacts": contacts, "events": events, **make_side_tables(rng, state)}
            for name, table in tables.items():
                if daily:
                    writers[name].write(table, landing_days(state.landed[name], opts))
                else:
                    writers[name].write(table)
            if progress:
                done = min(opts.contacts, (chunk_no + 1) * CHUNK_CONTACTS)
                print(f"\r{done:,}/{opts.contacts:,} contacts, {writers['events'].rows:,} events, "
                      f"{time.monotonic() - started:.1f}s", end="", file=sys.stderr, flush=True)  # fmt: skip
        for name, reference in (("fx_rates", fx_table()), ("exclusions", exclusions_table(opts))):
            if daily:
                writers[name].write(reference, landing_days(np.array([opts.start_ts] * reference.num_rows), opts))
            else:
                writers[name].write(reference)
    finally:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(scratch)
    if progress:
        print(file=sys.stderr)
    return {t: w.rows for t, w in writers.items()}
