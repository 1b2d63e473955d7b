"""Permissions, backups and schema migrations."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accmgr.errors import StoreError
from accmgr.store import backup, check_database, migrations, open_store
from tests.store.helpers import add


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_owner_only_permissions_whatever_the_umask(db: Path, loose_umask: None) -> None:
    with open_store(db) as s:
        add(s)
        s.compact()
        add(s)
        manual = s.backup()
    assert _mode(db) == 0o700
    for name in ("data.json", "journal.jsonl", "lock"):
        assert _mode(db / name) == 0o600, name
    assert _mode(db / "backups") == 0o700
    assert _mode(manual) == 0o600
    assert all(_mode(p) == 0o600 for p in backup.list_backups(db))
    assert check_database(db) == []
    os.chmod(db / "data.json", 0o644)
    data = db / "data.json"
    assert check_database(db) == [
        f"{data} can be read by other users (mode 644); run: chmod 600 {data}"
    ]


def test_backup_is_a_consistent_single_file_that_opens_as_a_database(
    db: Path, tmp_path: Path
) -> None:
    with open_store(db) as s:
        add(s, title="a")
        add(s, title="b")
        dest = s.backup(tmp_path / "mine.json")
        assert s.backups() == backup.list_backups(db)
        with pytest.raises(StoreError, match="already exists"):
            s.backup(dest)
    copy = tmp_path / "copy"
    copy.mkdir()
    dest.rename(copy / "data.json")
    with open_store(copy) as s:
        assert [d["title"] for d in s.all("deals")] == ["a", "b"]


def test_daily_backup_once_a_day_and_rotation_keeps_manual_ones(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as s:
        add(s)
        manual = s.backup()
    assert backup.list_backups(db) == [manual]  # a fresh manual backup counts for today
    before_restore = backup.write(backup.default_path(db, "before-restore"), manual.read_bytes())
    monkeypatch.setattr(backup, "DAILY_SECONDS", -1)  # every open is a new day
    for _ in range(backup.KEEP_AUTOMATIC + 3):
        open_store(db).close()
    kept = backup.list_backups(db)
    automatic = [p for p in kept if "-auto-daily" in p.name]
    assert len(automatic) == backup.KEEP_AUTOMATIC
    assert manual in kept
    assert before_restore in kept  # daily copies rotate among themselves only
    assert kept == sorted(kept, reverse=True)
    monkeypatch.setattr(backup, "DAILY_SECONDS", 24 * 3600)
    open_store(db).close()
    assert backup.list_backups(db) == kept


def test_migration_runs_after_a_backup(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(db) as s:
        doc_id = add(s, title="old")
    seen: list[Any] = []

    def add_currency(tables: dict[str, dict[str, dict[str, Any]]]) -> None:
        seen.append([p.name for p in backup.list_backups(db)])
        for deal in tables["deals"].values():
            deal["currency"] = "EUR"

    monkeypatch.setattr(migrations, "MIGRATIONS", [add_currency])
    with open_store(db) as s:
        assert s.get("deals", doc_id) == {"id": doc_id, "title": "old", "rev": 1, "currency": "EUR"}
    assert any("-auto-before-migration-v1" in name for name in seen[0])
    before = next(p for p in backup.list_backups(db) if "before-migration" in p.name)
    assert json.loads(before.read_bytes())["deals"][doc_id] == {
        "id": doc_id,
        "title": "old",
        "rev": 1,
    }
    data = json.loads((db / "data.json").read_bytes())
    assert data["_meta"]["store"]["schema_version"] == 2
    with open_store(db) as s:  # runs once only
        assert len(seen) == 1
        assert s.get("deals", doc_id)["currency"] == "EUR"  # type: ignore[index]


def test_failing_migration_changes_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(db) as s:
        add(s)
    before = (db / "data.json").read_bytes(), (db / "journal.jsonl").read_bytes()

    def broken(tables: dict[str, dict[str, dict[str, Any]]]) -> None:
        raise ValueError("bug in migration")

    monkeypatch.setattr(migrations, "MIGRATIONS", [broken])
    with pytest.raises(ValueError, match="bug in migration"):
        open_store(db)
    assert ((db / "data.json").read_bytes(), (db / "journal.jsonl").read_bytes()) == before


def test_check_reports_a_counter_behind_the_ids(db: Path) -> None:
    with open_store(db) as s:
        add(s)
        add(s)
        s.compact()
    data = json.loads((db / "data.json").read_bytes())
    data["_meta"]["store"]["ids"]["deals"] = 1
    (db / "data.json").write_text(json.dumps(data))
    os.chmod(db / "data.json", 0o600)
    assert check_database(db) == [
        "the id counter of deals (1) is behind its highest id (2); "
        "ids of deleted records could be handed out again",
        f"{db}: the records above cannot be used as they are. There is no backup; run "
        f"accmgr --data {db} check to see every problem.",
    ]


def test_check_never_writes(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert check_database(missing) == [
        f"{missing} is not a database folder (it does not exist); check the path"
    ]
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    empty.chmod(0o700)
    assert check_database(empty) == [f"{empty} holds no accmgr database yet (no data.json)"]
    assert list(empty.iterdir()) == []
