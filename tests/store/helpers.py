"""Helpers shared by the store tests (fixtures are in conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from accmgr.store import Store, journal

WORKER = Path(__file__).with_name("worker.py")


def start_worker(*args: object) -> subprocess.Popen[str]:
    """Start tests/store/worker.py in a fresh interpreter (a real second process)."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_worker(*args: object, timeout: float = 60) -> list[str]:
    proc = start_worker(*args)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out.split()


def add(store: Store, table: str = "deals", **fields: object) -> str:
    """Insert one record in its own transaction; returns its id."""
    with store.transaction() as tx:
        doc_id = tx.new_id(table)
        tx.insert(table, {"id": doc_id, **fields})
    return doc_id


def next_line(db: Path, record: dict[str, Any]) -> bytes:
    """The journal line another writer would append now (chained on the last line)."""
    last = (db / "journal.jsonl").read_bytes().splitlines(keepends=True)[-1]
    return journal.encode_line(record, journal.checksum(last))
