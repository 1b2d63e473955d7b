"""Damaged or hand-edited files: reported with file and position, never modified, restorable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from accmgr.errors import DamagedFileError, StoreError
from accmgr.store import Store, check_database, open_store, restore_database
from tests.store.helpers import add


def _make(db: Path, *, backup: bool = True) -> Path | None:
    """A database with a snapshot, three journal lines and (optionally) a backup."""
    with open_store(db) as s:
        add(s, title="in snapshot")
        s.compact()
        for n in range(3):
            add(s, title=f"journal {n}")
        return s.backup() if backup else None


def _truncate_data(db: Path) -> None:
    raw = (db / "data.json").read_bytes()
    (db / "data.json").write_bytes(raw[: len(raw) // 2])


def _garbage_data(db: Path) -> None:
    (db / "data.json").write_bytes(b"\x00\x01garbage\xff")


def _hand_edited_data(db: Path) -> None:
    data = json.loads((db / "data.json").read_bytes())
    text = json.dumps(data, indent=2).replace('"title": "in snapshot"', '"title": "in snapshot",')
    (db / "data.json").write_text(text)


def _journal_lines(db: Path) -> list[bytes]:
    return (db / "journal.jsonl").read_bytes().splitlines(keepends=True)


def _garble_journal_middle(db: Path) -> None:
    lines = _journal_lines(db)
    lines[2] = lines[2].replace(b"journal 1", b"journal X")
    (db / "journal.jsonl").write_bytes(b"".join(lines))


def _bad_checksum(db: Path) -> None:
    lines = _journal_lines(db)
    lines[3] = b"00000000" + lines[3][8:]
    (db / "journal.jsonl").write_bytes(b"".join(lines))


def _garbage_line(db: Path) -> None:
    lines = _journal_lines(db)
    lines.insert(2, b"{not even close\n")
    (db / "journal.jsonl").write_bytes(b"".join(lines))


DAMAGE: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "truncated data.json": (_truncate_data, "data.json", "line 1, column"),
    "garbage data.json": (_garbage_data, "data.json", "byte 9"),
    "hand-edited data.json": (_hand_edited_data, "data.json", "line "),
    "garbled journal line": (_garble_journal_middle, "journal.jsonl", "line 3 (byte "),
    "bad checksum": (_bad_checksum, "journal.jsonl", "line 4 (byte "),
    "garbage journal line": (_garbage_line, "journal.jsonl", "line 3 (byte "),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damage_is_reported_left_alone_and_restorable(db: Path, case: str) -> None:
    backup = _make(db)
    assert backup is not None
    damage, file_name, position = DAMAGE[case]
    damage(db)
    before = {name: (db / name).read_bytes() for name in ("data.json", "journal.jsonl")}

    with pytest.raises(DamagedFileError) as err:
        open_store(db)
    message = str(err.value)
    assert str(db / file_name) in message
    assert position in message
    assert f"Restore the newest backup with: accmgr --data {db} restore {backup}" in message
    assert "\n" not in message
    assert {name: (db / name).read_bytes() for name in before} == before

    problems = check_database(db)
    assert any(str(db / file_name) in p and position in p for p in problems), problems
    assert {name: (db / name).read_bytes() for name in before} == before

    aside = restore_database(db, backup)
    assert aside.parent == db and aside.name.startswith("damaged-")
    assert {name: (aside / name).read_bytes() for name in before} == before
    assert check_database(db) == []
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == [
            "in snapshot",
            "journal 0",
            "journal 1",
            "journal 2",
        ]
        assert add(s) == "D-0005"


def test_without_a_backup_the_hint_says_run_check(db: Path) -> None:
    _make(db, backup=False)
    _truncate_data(db)
    with pytest.raises(DamagedFileError) as err:
        open_store(db)
    assert f"There is no backup; run accmgr --data {db} check" in str(err.value)


def test_journal_newer_than_the_snapshot_means_data_json_was_swapped(db: Path) -> None:
    with open_store(db) as s:
        add(s)
    old = (db / "data.json").read_bytes()
    with open_store(db) as s:
        s.compact()
        add(s)
    (db / "data.json").write_bytes(old)
    with pytest.raises(DamagedFileError, match=r"journal.jsonl: damaged at line 1 .*newer"):
        open_store(db)
    assert (db / "data.json").read_bytes() == old


def test_missing_data_json_with_a_journal_is_damage_not_a_new_database(db: Path) -> None:
    _make(db)
    (db / "data.json").unlink()
    with pytest.raises(DamagedFileError, match=r"data\.json: damaged at the file"):
        open_store(db)
    assert not (db / "data.json").exists()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    _make(db)
    before = (db / "data.json").read_bytes(), (db / "journal.jsonl").read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"clients": {}')
    with pytest.raises(DamagedFileError, match=r"bad\.json: damaged at line 1"):
        restore_database(db, bad)
    assert ((db / "data.json").read_bytes(), (db / "journal.jsonl").read_bytes()) == before


def test_restore_over_a_healthy_database_keeps_it_as_a_backup(db: Path) -> None:
    with open_store(db) as s:
        add(s, title="old")
        early = s.backup()
        add(s, title="after the backup")
    saved = restore_database(db, early)
    assert "-auto-before-restore" in saved.name
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == ["old"]
        assert add(s) == "D-0003", "an id issued after the backup was handed out again"
    restore_database(db, saved)
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == ["old", "after the backup"]


@pytest.mark.parametrize("newer_backup", [False, True])
def test_restore_over_unreadable_data_never_reissues_an_id(db: Path, newer_backup: bool) -> None:
    with open_store(db) as s:
        add(s, title="old")
        early = s.backup()
        s.compact()  # the snapshot now holds D-0001; the journal starts empty
        add(s, title="only in the journal")  # D-0002
        if newer_backup:
            s.backup()
            s.compact()  # D-0002 moves into the snapshot, which the damage below destroys
        add(s, title="only in the journal too")  # D-0003
    _garbage_data(db)
    restore_database(db, early)
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == ["old"]
        assert add(s) == "D-0004", "an id issued after the backup was handed out again"


def test_an_open_store_follows_a_restore(db: Path, store: Store) -> None:
    add(store, title="one")
    backup = store.backup()
    add(store, title="two")
    restore_database(db, backup)
    assert store.refresh() is True
    assert [d["title"] for d in store.all("deals")] == ["one"]


def test_newer_schema_is_refused_untouched(db: Path) -> None:
    _make(db)
    data = json.loads((db / "data.json").read_bytes())
    data["_meta"]["store"]["schema_version"] = 99
    (db / "data.json").write_text(json.dumps(data))
    before = (db / "data.json").read_bytes()
    with pytest.raises(StoreError, match=r"newer accmgr \(schema 99; this one knows up to 1\)"):
        open_store(db)
    assert (db / "data.json").read_bytes() == before
    assert any("newer accmgr" in p for p in check_database(db))
