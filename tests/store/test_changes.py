"""The change log is written by the commit itself: never without its change, never behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from accmgr.store import open_store


def test_one_log_entry_per_commit_with_fields_old_and_new(tmp_path: Path) -> None:
    with open_store(tmp_path / "db") as store:
        store.author.name, store.author.origin = "Ana", "cli"
        with store.transaction() as tx:
            tx.insert("clients", {"id": tx.new_id("clients"), "name": "A"})
        with store.transaction() as tx:
            tx.update("clients", "C-0001", {"name": "B"}, expected_rev=1)
        with store.transaction() as tx:
            tx.delete("clients", "C-0001")
    with open_store(tmp_path / "db") as store:  # read back from the disk
        logged = sorted(store.all("changes"), key=lambda d: d["id"])
    assert [(d["who"], d["origin"]) for d in logged] == [("Ana", "cli")] * 3
    assert [e["op"] for d in logged for e in d["entries"]] == ["create", "update", "delete"]
    assert logged[1]["entries"][0]["fields"] == {"name": {"old": "A", "new": "B"}}
    assert logged[2]["entries"][0]["before"]["name"] == "B"


def test_a_failed_transaction_logs_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "db") as store:
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.insert("clients", {"id": tx.new_id("clients"), "name": "A"})
            raise RuntimeError("boom")
        assert store.all("changes") == [] and store.all("clients") == []


def test_no_log_while_recording_is_off(tmp_path: Path) -> None:
    with open_store(tmp_path / "db") as store:
        store.author.recording = False
        with store.transaction() as tx:
            tx.insert("clients", {"id": tx.new_id("clients"), "name": "A"})
        assert store.all("changes") == []
