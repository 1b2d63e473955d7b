"""Benchmark of accmgr's store against stock TinyDB, on synthetic but realistic data.

Run: ``.venv/bin/python bench/store.py [--scales kam,large] [--quick]``.

Scales: ``kam`` = 500 clients, 5,000 deals, 50,000 activities; ``large`` = four times that.
Figures are ratios measured in the same run (machines are noisy), with absolute figures
beside them. The last line holds the four ratios as name=value pairs, for scripts:

1. write_vs_tinydb: one durable write (log one activity) at kam scale, ours vs stock
   ``TinyDB(path)`` (JSONStorage, which fsyncs) inserting the same document into the same
   data. Medians. Target <= 0.1.
2. large_vs_kam_write: the same write at large scale vs kam scale. Target <= 2.
3. open_vs_json_parse: opening the kam database vs a bare ``json.loads`` of the same JSON
   text (already in memory). Target <= 1.5.
4. peak_memory_vs_tinydb: peak RSS at kam scale, each in a fresh subprocess importing the
   same modules: stock opens TinyDB on its file, runs a search and one insert; ours does
   open_store, the same search via find, one insert. Target <= 1.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from accmgr.store import journal as store_journal
from accmgr.store import migrations as store_migrations
from accmgr.store import open_store
from accmgr.store import snapshot as store_snapshot

SCALES = {
    "kam": {"clients": 500, "deals": 5_000, "activities": 50_000},
    "large": {"clients": 2_000, "deals": 20_000, "activities": 200_000},
}
STAGES = ["prospecting", "call", "meeting", "needs", "objections", "closing", "fulfilment"]
KINDS = ["call", "meeting", "e-mail", "visit", "presentation", "task", "note"]
_SENTENCE = (
    "client asked about delivery terms price list discount volume contract signing meeting "
    "follow up next week offer sent reliability payment invoice quality complaint resolved"
)
WORDS = _SENTENCE.split(" ")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _iso(rng: random.Random) -> str:
    month, day, hour = rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 18)
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00+00:00"


def make_client(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "id": f"C-{n:04d}",
        "name": f"Client {n} {rng.choice(WORDS).title()}",
        "legal_name": f"Client {n} UAB",
        "segment": rng.choice(["industry", "retail", "public"]),
        "country": rng.choice(["LT", "PL", "PT", "HU"]),
        "language": rng.choice(["en", "lt", "pl", "pt", "hu", "ru"]),
        "currency": "EUR",
        "tier": rng.choice(["key", "regular"]),
        "owner": f"kam{rng.randint(1, 20)}",
        "tags": [rng.choice(WORDS) for _ in range(3)],
        "reliability": {
            "rating": rng.choice("ABCD"),
            "payment_terms_days": rng.choice([14, 30, 60]),
            "credit_limit": f"{rng.randint(1, 500) * 1000}.00",
            "red_flags": [],
            "last_review": _iso(rng),
        },
        "rev": 1,
    }


def make_deal(rng: random.Random, n: int, clients: int) -> dict[str, Any]:
    stage_count = rng.randint(1, len(STAGES))
    return {
        "id": f"D-{n:04d}",
        "title": _text(rng, 4),
        "client": f"C-{rng.randint(1, clients):04d}",
        "stage": STAGES[stage_count - 1],
        "value": f"{rng.randint(1, 900) * 100}.00",
        "currency": "EUR",
        "probability": rng.choice([10, 25, 50, 75, 90]),
        "expected_close": _iso(rng),
        "owner": f"kam{rng.randint(1, 20)}",
        "stage_history": [
            {"stage": stage, "entered": _iso(rng), "left": _iso(rng)}
            for stage in STAGES[:stage_count]
        ],
        "next_step": {"what": _text(rng, 3), "due": _iso(rng)},
        "rev": 1,
    }


def make_activity(rng: random.Random, n: int, clients: int, deals: int) -> dict[str, Any]:
    return {
        "id": f"A-{n:04d}",
        "kind": rng.choice(KINDS),
        "due": _iso(rng),
        "done": _iso(rng),
        "outcome": rng.choice(["no answer", "call back", "appointment set", "declined"]),
        "client": f"C-{rng.randint(1, clients):04d}",
        "deal": f"D-{rng.randint(1, deals):04d}",
        "contacts": [f"P-{rng.randint(1, 3 * clients):04d}"],
        "note": _text(rng, 14),
        "rev": 1,
    }


def build_tables(scale: str) -> dict[str, dict[str, dict[str, Any]]]:
    sizes = SCALES[scale]
    rng = random.Random(7)
    clients, deals = sizes["clients"], sizes["deals"]
    tables: dict[str, dict[str, dict[str, Any]]] = {
        "clients": {},
        "deals": {},
        "activities": {},
    }
    for n in range(1, clients + 1):
        tables["clients"][f"C-{n:04d}"] = make_client(rng, n)
    for n in range(1, deals + 1):
        tables["deals"][f"D-{n:04d}"] = make_deal(rng, n, clients)
    for n in range(1, sizes["activities"] + 1):
        tables["activities"][f"A-{n:04d}"] = make_activity(rng, n, clients, deals)
    return tables


def write_ours(db: Path, tables: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Lay the data down as a compacted accmgr database, then open once (daily backup)."""
    db.mkdir(mode=0o700)
    meta = store_snapshot.new_meta(store_migrations.current_version())
    meta["ids"] = {name: len(table) for name, table in tables.items()}
    (db / "data.json").write_bytes(store_snapshot.encode(tables, meta))
    store_journal.create(db / "journal.jsonl", 0)
    open_store(db).close()


def write_stock(path: Path, tables: dict[str, dict[str, dict[str, Any]]]) -> None:
    """The same documents for stock TinyDB, which needs integer-like document ids."""
    stock = {
        name: {str(i): doc for i, doc in enumerate(table.values(), 1)}
        for name, table in tables.items()
    }
    path.write_text(json.dumps(stock))


def build(scale: str, root: Path) -> None:
    tables = build_tables(scale)
    counts = ", ".join(f"{len(t):,} {name}" for name, t in tables.items())
    write_ours(root / scale, tables)
    if scale == "kam":
        write_stock(root / "stock.json", tables)
    size = (root / scale / "data.json").stat().st_size
    print(f"[{scale}] {counts}; data.json {size / 2**20:.1f} MiB")


def new_activity(n: int) -> dict[str, Any]:
    return make_activity(random.Random(n), 0, 500, 5000) | {"note": f"bench write {n}"}


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_json_parse(path: Path, repeat: int) -> float:
    text = path.read_text()
    return median_time(lambda: json.loads(text), repeat)


def our_write(store: Any) -> Callable[[], None]:
    counter = iter(range(10**9))

    def write() -> None:
        with store.transaction() as tx:
            doc = new_activity(next(counter))
            doc["id"] = tx.new_id("activities")
            tx.insert("activities", doc)

    return write


def memory_child(kind: str, target: str) -> None:
    """Runs in a fresh interpreter: one search and one insert, then report peak RSS (KiB)."""
    doc = new_activity(1)
    if kind == "stock":
        db = TinyDB(target)
        db.table("deals").search(Query().stage == "closing")
        db.table("activities").insert(doc)
        db.close()
    else:
        store = open_store(Path(target))
        store.find("deals", stage="closing")
        with store.transaction() as tx:
            doc["id"] = tx.new_id("activities")
            tx.insert("activities", doc)
        store.close()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def peak_rss(kind: str, target: Path) -> int:
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", kind, str(target)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.split()[-1])


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="kam,large", help="comma-separated: kam,large")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--memory-child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, metavar=("SCALE", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return
    if args.build:
        build(args.build[0], Path(args.build[1]))
        return
    scales = [s for s in args.scales.split(",") if s]
    unknown = set(scales) - set(SCALES)
    if unknown or "kam" not in scales:
        parser.error(f"--scales must include kam and name only {', '.join(SCALES)}")
    ours_reps, stock_reps, open_reps = (9, 1, 2) if args.quick else (41, 3, 5)
    ratios: dict[str, str] = {}

    with tempfile.TemporaryDirectory(prefix="accmgr-bench-") as tmp:
        root = Path(tmp)
        writes: dict[str, float] = {}
        for scale in scales:  # built in subprocesses: this process stays small (see below)
            out = subprocess.run(
                [sys.executable, __file__, "--build", scale, str(root)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            print(out.strip())

        # Peak memory first, while this process is still small: on Linux a child's ru_maxrss
        # starts from its parent's peak at fork/exec time.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours_kib = peak_rss("ours", root / "kam")
        stock_kib = peak_rss("stock", root / "stock.json")
        print(
            f"[kam] peak memory: accmgr {ours_kib / 1024:.0f} MiB, "
            f"stock TinyDB {stock_kib / 1024:.0f} MiB (this parent: {own / 1024:.0f} MiB)"
        )
        ratios_memory = f"{ours_kib / stock_kib:.2f}"

        stores = {scale: open_store(root / scale) for scale in scales}
        writers = {scale: our_write(stores[scale]) for scale in scales}
        samples: dict[str, list[float]] = {scale: [] for scale in scales}
        for _ in range(ours_reps):  # interleaved, so drift in disk speed hits every scale alike
            for scale in scales:
                samples[scale].append(median_time(writers[scale], 1))
        for scale in scales:
            writes[scale] = statistics.median(samples[scale])
            print(f"[{scale}] accmgr durable write (median of {ours_reps}): {fmt_s(writes[scale])}")
            stores[scale].close()
        del stores, writers

        stock_db = TinyDB(root / "stock.json")
        stock_counter = iter(range(10**6))
        stock_write = median_time(
            lambda: stock_db.table("activities").insert(new_activity(next(stock_counter))),
            stock_reps,
        )
        stock_db.close()
        print(f"[kam] stock TinyDB durable write (median of {stock_reps}): {fmt_s(stock_write)}")
        ratios["write_vs_tinydb"] = f"{writes['kam'] / stock_write:.4f}"
        if "large" in writes:
            ratios["large_vs_kam_write"] = f"{writes['large'] / writes['kam']:.2f}"
        else:
            ratios["large_vs_kam_write"] = "n/a"

        # Interleaved, so that a burst of load on a shared machine hits both sides alike.
        parses, opens = [], []
        for _ in range(open_reps):
            parses.append(time_json_parse(root / "kam" / "data.json", 1))
            opens.append(median_time(lambda: open_store(root / "kam").close(), 1))
        parse, opened = statistics.median(parses), statistics.median(opens)
        print(f"[kam] open_store: {fmt_s(opened)}; bare json.loads of data.json: {fmt_s(parse)}")
        ratios["open_vs_json_parse"] = f"{opened / parse:.2f}"

        ratios["peak_memory_vs_tinydb"] = ratios_memory

    targets = {
        "write_vs_tinydb": 0.1,
        "large_vs_kam_write": 2,
        "open_vs_json_parse": 1.5,
        "peak_memory_vs_tinydb": 1,
    }
    for name, target in targets.items():
        value = ratios[name]
        verdict = "n/a" if value == "n/a" else ("ok" if float(value) <= target else "MISSED")
        print(f"{name}: {value} (target <= {target}) {verdict}")
    print(" ".join(f"{name}={value}" for name, value in ratios.items()))


if __name__ == "__main__":
    main()
