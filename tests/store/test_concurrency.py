"""Several accmgr processes on one database: no lost write, no lost update, no hang."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import filelock
import pytest

from accmgr.errors import LockTimeoutError
from accmgr.store import Store, open_store
from tests.store.helpers import add, next_line, run_worker, start_worker


def test_four_writers_at_once_lose_nothing(db: Path) -> None:
    open_store(db).close()
    procs = [start_worker("insert", db, 50) for _ in range(4)]
    acknowledged: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        acknowledged += out.split()
    assert len(acknowledged) == 200
    assert len(set(acknowledged)) == 200, "two processes got the same id"
    with open_store(db) as s:
        assert s.count("activities") == 200
        assert {d["id"] for d in s.all("activities")} == set(acknowledged)


def test_read_modify_write_from_two_processes_loses_no_update(db: Path) -> None:
    with open_store(db) as s:
        doc_id = add(s, n=0)
    procs = [start_worker("increment", db, doc_id, 40) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with open_store(db) as s:
        doc = s.get("deals", doc_id)
        assert doc is not None
        assert doc["n"] == 80
        assert doc["rev"] == 81


def test_open_store_sees_other_processes_writes_after_refresh(db: Path, store: Store) -> None:
    mine = add(store, title="mine")
    assert store.refresh() is False
    version = store.version
    theirs = run_worker("insert", db, 3)
    assert store.refresh() is True
    assert store.version == version + 3
    assert [d["id"] for d in store.all("activities")] == theirs
    assert store.find("activities", n=2)[0]["id"] == theirs[2]
    assert store.refresh() is False
    # their compaction replaces both files: a full reload, nothing lost on either side
    with open_store(db) as other:
        other.compact()
        add(other, title="theirs")
    assert store.refresh() is True
    assert [d["title"] for d in store.all("deals")] == ["mine", "theirs"]
    assert store.get("deals", mine) is not None
    # and our next write goes into their new journal
    add(store, title="mine again")
    with open_store(db) as other:
        assert other.count("deals") == 3


def test_a_transaction_sees_writes_made_since_the_last_refresh(db: Path, store: Store) -> None:
    run_worker("insert", db, 2)
    with store.transaction() as tx:
        assert tx.get("activities", "A-0002") is not None
        assert tx.new_id("activities") == "A-0003"


def test_lock_timeout_says_what_to_do(db: Path, store: Store) -> None:
    other = filelock.FileLock(db / "lock")
    store_busy = open_store(db, lock_timeout=0.2)
    with other:
        start = time.monotonic()
        with pytest.raises(LockTimeoutError) as err, store_busy.transaction():
            pass
        assert time.monotonic() - start < 2
    assert str(err.value) == (
        f"the database {db} is busy: another accmgr process has held its lock for over 0.2 s; "
        "try again or close the other one"
    )
    store_busy.close()


def test_lock_held_by_another_process(db: Path) -> None:
    open_store(db).close()
    proc = start_worker("hold", db, 3)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    try:
        with pytest.raises(LockTimeoutError, match="is busy"):
            open_store(db, lock_timeout=0.3)
    finally:
        proc.kill()
        proc.communicate()
    # a killed holder releases its lock with it
    with open_store(db, lock_timeout=5) as s:
        add(s)


def test_a_write_seen_half_done_is_read_once_complete(db: Path, store: Store) -> None:
    add(store, title="first")
    line = next_line(db, {"ops": [["put", "deals", "D-0002", {"id": "D-0002", "rev": 1}]]})
    with open(db / "journal.jsonl", "ab") as handle:  # another writer, caught mid-write
        handle.write(line[:20])
    assert store.refresh() is False
    assert store.get("deals", "D-0002") is None
    with open(db / "journal.jsonl", "ab") as handle:
        handle.write(line[20:])
    assert store.refresh() is True
    assert store.get("deals", "D-0002") == {"id": "D-0002", "rev": 1}


def test_threads_share_one_store_safely(store: Store) -> None:
    def work() -> None:
        for _ in range(25):
            add(store, "activities")
            store.find("activities", kind=None)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count("activities") == 100
    assert len({d["id"] for d in store.all("activities")}) == 100


def test_the_store_imports_no_ui() -> None:
    code = "import sys, accmgr.store; print(sorted(m for m in sys.modules if 'textual' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
