"""A second accmgr process for the store's crash and concurrency tests.

Run as ``python worker.py <command> <db> ...``; it prints one line per acknowledged write
(flushed at once), so the parent knows exactly what was promised before it kills us.

Commands:
  insert <db> <count> [compact_every]   insert activities; print each id once committed
  increment <db> <doc_id> <count>        read outside, write with expected_rev; retry on conflict
  hold <db> <seconds>                     take the lock, print "locked", sleep
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from accmgr.errors import ConflictError
from accmgr.store import api, open_store


def insert(db: Path, count: int, compact_every: int) -> None:
    if compact_every:
        api.COMPACT_MIN_BYTES = 0
        api.COMPACT_RATIO = 0.0
    store = open_store(db, lock_timeout=60)
    for n in range(count):
        with store.transaction() as tx:
            doc_id = tx.new_id("activities")
            tx.insert("activities", {"id": doc_id, "kind": "call", "note": "x" * 200, "n": n})
        print(doc_id, flush=True)
        if compact_every and n % compact_every == compact_every - 1:
            store.compact()
            print("compacted", flush=True)
    store.close()


def increment(db: Path, doc_id: str, count: int) -> None:
    store = open_store(db, lock_timeout=60)
    conflicts = 0
    for _ in range(count):
        while True:
            store.refresh()
            doc = store.get("deals", doc_id)
            assert doc is not None
            new = {**doc, "n": doc["n"] + 1}
            time.sleep(0.001)  # widen the window in which the other process can interfere
            try:
                with store.transaction() as tx:
                    tx.update("deals", doc_id, new, expected_rev=doc["rev"])
                break
            except ConflictError:
                conflicts += 1
    print(f"conflicts {conflicts}", flush=True)
    store.close()


def hold(db: Path, seconds: float) -> None:
    store = open_store(db)
    with store.transaction():
        print("locked", flush=True)
        time.sleep(seconds)


if __name__ == "__main__":
    command, db_arg, *rest = sys.argv[1:]
    db = Path(db_arg)
    if command == "insert":
        insert(db, int(rest[0]), int(rest[1]) if len(rest) > 1 else 0)
    elif command == "increment":
        increment(db, rest[0], int(rest[1]))
    elif command == "hold":
        hold(db, float(rest[0]))
    else:
        raise SystemExit(f"unknown command {command}")
