"""Benchmark of the CSV price-list import: time in proportion to the rows, a short lock.

Run: ``.venv/bin/python bench/import.py [--rows 10000,100000]``.

For each size a synthetic price list is imported twice into a fresh database: first every row
is new (added), then every price changed (updated). Figures are ratios against a baseline
measured in the same run on the same file (machines are noisy), with absolute figures beside:

1. import_vs_csv_<rows>: the whole import (read, check, write) vs ``csv.reader`` reading the
   same text into lists. Linear means the ratio stays about the same from 10k to 100k rows.
2. lock_share_<rows>: the part of the import spent holding the database lock (the one write
   transaction) vs the whole import. Parsing and checking happen outside it.
3. growth: seconds per row at the largest size vs at the smallest. Target <= 2 (a quadratic
   import gives about 10 from 10k to 100k rows). Targets: 100,000 rows in <= 10 s.

The last line holds the ratios as name=value pairs, for scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from accmgr.services import catalog
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.store.api import Store, Transaction

HEADER = "code,name,unit,unit_price,currency,tax_rate,description\n"


def price_list(rows: int, price_cents: int) -> str:
    lines = [HEADER]
    for n in range(rows):
        cents = price_cents + n % 997
        lines.append(
            f"P-{n:06d},Product {n} steel box,pc,{cents // 100}.{cents % 100:02d},EUR,23,"
            f'"Box {n}, galvanised; 40 x 30 cm"\n'
        )
    return "".join(lines)


def _clock() -> datetime:
    return datetime(2026, 12, 4, 10, tzinfo=UTC)


@contextlib.contextmanager
def timed_transactions(store: Store, spent: list[float]) -> Iterator[None]:
    """Record how long each transaction holds the lock (its with-block and its commit)."""
    original = store.transaction

    @contextlib.contextmanager
    def transaction() -> Iterator[Transaction]:
        started = time.perf_counter()
        try:
            with original() as tx:
                yield tx
        finally:
            spent.append(time.perf_counter() - started)

    store.transaction = transaction  # type: ignore[method-assign]
    try:
        yield
    finally:
        store.transaction = original  # type: ignore[method-assign]


def baseline(text: str) -> float:
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    elapsed = time.perf_counter() - started
    assert len(rows) > 1
    return elapsed


def measure(rows: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "db")
        ws = Workspace(store=store, clock=_clock, owner="bench")
        try:
            for phase, cents in (("added", 1250), ("updated", 1310)):
                text = price_list(rows, cents)
                spent: list[float] = []
                with timed_transactions(store, spent):
                    started, cpu = time.perf_counter(), time.process_time()
                    report = catalog.import_price_list(ws, text)
                    elapsed = time.perf_counter() - started
                    figures[f"{phase}_cpu_s"] = time.process_time() - cpu
                assert report.count(phase) == rows, report.summary()  # type: ignore[arg-type]
                figures[f"{phase}_s"] = elapsed
                figures[f"{phase}_lock_s"] = sum(spent)
                figures[f"{phase}_csv_s"] = baseline(text)
        finally:
            store.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="10000,100000", help="comma-separated sizes")
    sizes = [int(n) for n in parser.parse_args().rows.split(",")]
    ratios: dict[str, float] = {}
    per_row: dict[int, float] = {}
    for rows in sizes:
        f = measure(rows)
        for phase in ("added", "updated"):
            ratio = f[f"{phase}_s"] / f[f"{phase}_csv_s"]
            share = f[f"{phase}_lock_s"] / f[f"{phase}_s"]
            print(
                f"{rows:>7} rows {phase:<8} import {f[f'{phase}_s']:6.2f} s "
                f"(CPU {f[f'{phase}_cpu_s']:6.2f} s) "
                f"(csv.reader {f[f'{phase}_csv_s'] * 1000:6.1f} ms, ratio {ratio:5.0f}); "
                f"lock held {f[f'{phase}_lock_s']:5.2f} s ({share:.0%} of the import)"
            )
            ratios[f"import_vs_csv_{phase}_{rows}"] = ratio
            ratios[f"lock_share_{phase}_{rows}"] = share
        per_row[rows] = max(f["added_s"], f["updated_s"]) / rows
    if len(sizes) > 1:
        ratios["growth"] = per_row[max(sizes)] / per_row[min(sizes)]
        print(f"seconds per row, {max(sizes)} vs {min(sizes)} rows: {ratios['growth']:.2f}x")
    print(" ".join(f"{name}={value:.3g}" for name, value in ratios.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
