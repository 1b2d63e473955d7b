"""Durability: whatever was acknowledged survives kill -9 at any moment, and the database
always opens afterwards. ACCMGR_STRESS_ITERATIONS raises the number of kills for long runs."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from accmgr.store import api, check_database, journal, open_store
from tests.store.helpers import add, start_worker

ITERATIONS = int(os.environ.get("ACCMGR_STRESS_ITERATIONS", "25"))


def _kill_at_random(db: Path, rng: random.Random, *args: object) -> list[str]:
    """Start a writer, let it run for a random moment, kill -9 it; the ids it acknowledged."""
    proc = start_worker("insert", db, 100_000, *args)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the writer is up and writing
    time.sleep(rng.uniform(0.0, 0.15))
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    return [line for line in (first + rest).split() if line != "compacted"]


def _assert_all_present(db: Path, acknowledged: list[str]) -> None:
    with open_store(db) as s:
        missing = [doc_id for doc_id in acknowledged if s.get("activities", doc_id) is None]
        assert not missing, f"acknowledged but lost: {missing[:5]}"
    assert check_database(db) == []


@pytest.mark.parametrize("compact_every", [0, 7], ids=["writes", "with-compaction"])
def test_kill_9_never_loses_an_acknowledged_write(db: Path, compact_every: int) -> None:
    rng = random.Random(compact_every)
    acknowledged: list[str] = []
    for _ in range(ITERATIONS if compact_every == 0 else max(5, ITERATIONS // 3)):
        acknowledged += _kill_at_random(db, rng, compact_every)
        _assert_all_present(db, acknowledged)
    assert len(set(acknowledged)) == len(acknowledged), "an id was handed out twice"


def test_torn_final_line_is_ignored_then_cut_by_the_next_writer(db: Path) -> None:
    with open_store(db) as s:
        kept = add(s, title="kept")
    torn = journal.encode_line({"ops": [["put", "deals", "D-0009", {"id": "D-0009"}]]})
    with open(db / "journal.jsonl", "ab") as handle:
        handle.write(torn[: len(torn) // 2])
    assert check_database(db) == []
    with open_store(db) as s:
        assert s.get("deals", "D-0009") is None
        assert s.get("deals", kept) is not None
        second = add(s, title="after")
    with open_store(db) as s:
        assert [d["id"] for d in s.all("deals")] == [kept, second]
    assert check_database(db) == []


def test_crash_between_new_snapshot_and_new_journal(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as s:
        ids = [add(s, n=n) for n in range(5)]

        def crash(path: Path, generation: int) -> None:
            raise KeyboardInterrupt("power cut")

        monkeypatch.setattr(journal, "create", crash)
        with pytest.raises(KeyboardInterrupt):
            s.compact()
        monkeypatch.undo()
    # data.json is of the new generation, the journal of the old one: its records are
    # already in the snapshot, so they are not applied twice and nothing is lost.
    assert check_database(db) == []
    with open_store(db) as s:
        assert [d["id"] for d in s.all("deals")] == ids
        assert add(s) == "D-0006"
    with open_store(db) as s:
        assert s.count("deals") == 6


def test_compaction_on_open_when_the_journal_has_grown(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as s:
        for n in range(20):
            add(s, "activities", note="x" * 100, n=n)
    size_before = (db / "journal.jsonl").stat().st_size
    monkeypatch.setattr(api, "COMPACT_MIN_BYTES", 1000)
    with open_store(db) as s:
        assert (db / "journal.jsonl").stat().st_size < size_before / 10
        assert s.count("activities") == 20
