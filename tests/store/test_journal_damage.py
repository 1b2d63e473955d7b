"""Journal damage the store must see: a missing or empty journal, a whole line that lost its
newline, a journal cut short or changed in place under an open store — and the chain that
makes a writer notice before it builds on any of them."""

from __future__ import annotations

import itertools
import json
import os
import zlib
from pathlib import Path

import pytest

from accmgr.errors import DamagedFileError, StoreError
from accmgr.store import Store, check_database, journal, open_store, restore_database
from tests.store.helpers import add

JOURNAL = "journal.jsonl"


def _three_records(db: Path) -> Path:
    """A snapshot holding D-0001, a journal holding D-0002..D-0004, and a backup of all."""
    with open_store(db) as s:
        add(s, title="in snapshot")
        s.compact()
        for n in range(3):
            add(s, title=f"journal {n}")
        return s.backup()


def _refused(db: Path, position: str, backup: Path) -> str:
    before = {n: (db / n).read_bytes() for n in ("data.json", JOURNAL) if (db / n).exists()}
    with pytest.raises(DamagedFileError) as err:
        open_store(db)
    message = str(err.value)
    assert str(db / JOURNAL) in message and position in message, message
    assert f"accmgr --data {db} restore {backup}" in message
    assert {n: (db / n).read_bytes() for n in before} == before, "a damaged file was changed"
    problems = check_database(db)
    assert any(str(db / JOURNAL) in p and position in p for p in problems), problems
    return message


def _restored_whole(db: Path, backup: Path) -> None:
    restore_database(db, backup)
    assert check_database(db) == []
    with open_store(db) as s:
        assert len(s.all("deals")) == 4
        assert add(s) == "D-0005", "an id already issued was handed out again"


def test_a_missing_journal_is_damage_not_an_empty_one(db: Path) -> None:
    backup = _three_records(db)
    (db / JOURNAL).unlink()
    message = _refused(db, "the file", backup)
    assert "it is missing" in message
    _restored_whole(db, backup)


def test_an_empty_journal_is_damage(db: Path) -> None:
    backup = _three_records(db)
    (db / JOURNAL).write_bytes(b"")
    assert "the file is empty" in _refused(db, "byte 0", backup)
    _restored_whole(db, backup)


def test_a_last_line_that_lost_only_its_newline_is_damage(db: Path) -> None:
    backup = _three_records(db)
    raw = (db / JOURNAL).read_bytes()
    (db / JOURNAL).write_bytes(raw[:-1])
    last = raw.splitlines(keepends=True)[-1]
    message = _refused(db, f"line 4 (byte {len(raw) - len(last)})", backup)
    assert "lost its newline" in message
    _restored_whole(db, backup)


def test_a_torn_write_is_still_no_damage(db: Path) -> None:
    with open_store(db) as s:
        add(s, title="kept")
    raw = (db / JOURNAL).read_bytes()
    line = raw.splitlines(keepends=True)[-1]
    with open(db / JOURNAL, "ab") as handle:
        handle.write(line[: len(line) - 2])  # everything but the last JSON byte and newline
    assert check_database(db) == []
    with open_store(db) as s:
        assert add(s, title="after") == "D-0002"


def test_a_new_database_killed_before_data_json_opens(db: Path) -> None:
    db.mkdir(mode=0o700)
    journal.create(db / JOURNAL, 0)  # what creation leaves when killed at that moment
    with open_store(db) as s:
        assert add(s) == "D-0001"
    assert check_database(db) == []


def _v1_line(body: bytes) -> bytes:
    return b"%08x %s\n" % (zlib.crc32(body), body)


def _as_format_1(db: Path) -> None:
    """The same journal as format 1 wrote it: a plain CRC per line, no chain."""
    bodies = [json.loads(line[9:]) for line in (db / JOURNAL).read_bytes().splitlines()]
    bodies[0]["format"] = 1
    encoded = (json.dumps(b, separators=(",", ":")).encode() for b in bodies)
    (db / JOURNAL).write_bytes(b"".join(_v1_line(body) for body in encoded))


def test_lines_are_chained_and_an_old_unchained_journal_still_opens(db: Path) -> None:
    with open_store(db) as s:
        add(s, title="one")
        add(s, title="two")
    lines = (db / JOURNAL).read_bytes().splitlines()
    for previous, line in itertools.pairwise(lines):
        assert int(line[:8], 16) == zlib.crc32(line[9:], int(previous[:8], 16))

    _as_format_1(db)
    assert check_database(db) == []
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == ["one", "two"]
        add(s, title="three")  # the first write moves it to a chained journal
    assert json.loads((db / JOURNAL).read_bytes().split(b" ", 1)[1].split(b"\n")[0])["format"] == 2
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == ["one", "two", "three"]


def test_an_unchained_journal_of_the_header_alone_is_started_again_not_compacted(
    db: Path,
) -> None:
    with open_store(db) as s:
        add(s, title="one")
        s.compact()
    _as_format_1(db)
    data_before = (db / "data.json").read_bytes()
    with open_store(db) as s:
        add(s, title="two")
    assert (db / "data.json").read_bytes() == data_before
    with open_store(db) as s:
        assert [d["title"] for d in s.all("deals")] == ["one", "two"]


def test_a_line_moved_or_removed_breaks_the_chain(db: Path) -> None:
    backup = _three_records(db)
    lines = (db / JOURNAL).read_bytes().splitlines(keepends=True)
    del lines[2]  # each remaining line is intact on its own
    (db / JOURNAL).write_bytes(b"".join(lines))
    assert "or one before it, was altered or removed" in _refused(db, "line 3 (byte ", backup)


def _same_size_edit(db: Path) -> None:
    """Change a line already read, keeping the file's size and every checksum valid."""
    raw = (db / JOURNAL).read_bytes()
    lines = raw.splitlines(keepends=True)
    body = lines[1][9:-1].replace(b"journal 0", b"journal X")
    lines[1] = b"%08x %s\n" % (zlib.crc32(body, int(lines[0][:8], 16)), body)
    (db / JOURNAL).write_bytes(b"".join(lines))
    assert len(b"".join(lines)) == len(raw)


def test_an_open_store_never_appends_to_a_journal_changed_in_place(db: Path) -> None:
    backup = _three_records(db)
    store = open_store(db)
    try:
        _same_size_edit(db)  # the next line no longer chains on it
        damaged = (db / JOURNAL).read_bytes()
        assert store.refresh() is False
        assert isinstance(store.damage, DamagedFileError)
        assert "line 3" in str(store.damage)
        with pytest.raises(DamagedFileError, match=r"journal\.jsonl: damaged at line 3"):
            add(store, title="built on damage")
        assert (db / JOURNAL).read_bytes() == damaged, "a write was appended to damage"
        assert [d["title"] for d in store.all("deals")][1] == "journal 0", "kept what it read"
        restore_database(db, backup)  # what the message says to do
        assert store.refresh() is True
        assert store.damage is None
        assert add(store, title="after the restore") == "D-0005"
    finally:
        store.close()
    with open_store(db) as s:
        assert s.get("deals", "D-0005") is not None


def test_the_writer_checks_the_line_it_chains_on_even_with_the_old_time_stamp(
    db: Path,
) -> None:
    backup = _three_records(db)
    store = open_store(db)
    try:
        st = os.stat(db / JOURNAL)
        raw = (db / JOURNAL).read_bytes()
        lines = raw.splitlines(keepends=True)
        body = lines[-1][9:-1].replace(b"journal 2", b"journal Z")
        chain = int(lines[-2][:8], 16)
        lines[-1] = b"%08x %s\n" % (zlib.crc32(body, chain), body)
        (db / JOURNAL).write_bytes(b"".join(lines))
        os.utime(db / JOURNAL, ns=(st.st_atime_ns, st.st_mtime_ns))  # identity looks unchanged
        edited = (db / JOURNAL).read_bytes()
        assert len(edited) == len(raw)
        with pytest.raises(DamagedFileError, match=r"line 4 .*gone or changed"):
            add(store, title="next")  # an acknowledged line is not what it was
        assert store.damage is not None and store.refresh() is False
        assert (db / JOURNAL).read_bytes() == edited
        assert store.get("deals", "D-0004")["title"] == "journal 2"  # type: ignore[index]
    finally:
        store.close()
    _restored_whole(db, backup)


def test_a_journal_cut_short_under_an_open_store_is_damage(db: Path) -> None:
    backup = _three_records(db)
    store = open_store(db)
    try:
        lines = (db / JOURNAL).read_bytes().splitlines(keepends=True)
        cut = b"".join(lines[:-1])  # a whole line removed: what is left reads as valid
        with open(db / JOURNAL, "r+b") as handle:
            handle.truncate(len(cut))
        assert store.refresh() is False
        assert "acknowledged records were cut off" in str(store.damage)
        with pytest.raises(DamagedFileError):
            add(store)
        assert (db / JOURNAL).read_bytes() == cut
        assert store.get("deals", "D-0004") is not None
    finally:
        store.close()
    restore_database(db, backup)
    with open_store(db) as s:
        assert add(s) == "D-0005"


def test_a_journal_replaced_by_a_shorter_copy_under_an_open_store_is_damage(
    db: Path, store: Store
) -> None:
    add(store, title="one")
    copy = (db / JOURNAL).read_bytes()
    add(store, title="two")
    tmp = db / "copy"
    tmp.write_bytes(copy)
    os.replace(tmp, db / JOURNAL)  # another inode, one line short
    assert store.refresh() is False
    assert "gone or changed" in str(store.damage)
    with pytest.raises(DamagedFileError):
        add(store, title="three")
    assert (db / JOURNAL).read_bytes() == copy


@pytest.mark.parametrize(
    "payload",
    [b"[" * 100_000, b'{"n": ' + b"9" * 5000 + b"}"],
    ids=["100000 brackets", "5000 digits"],
)
@pytest.mark.parametrize("where", ["data.json", JOURNAL, "backup"])
def test_deep_nesting_and_huge_numbers_are_damage_and_restorable(
    db: Path, tmp_path: Path, payload: bytes, where: str
) -> None:
    backup = _three_records(db)
    if where == "data.json":
        (db / "data.json").write_bytes(payload)
    elif where == JOURNAL:
        # Format 1 (no chain), so the line passes its checksum in any accmgr and the parser
        # itself meets the bomb.
        _as_format_1(db)
        with open(db / JOURNAL, "ab") as handle:
            handle.write(_v1_line(b'{"ops":[["put","deals","D-0009",' + payload + b"]]}"))
    else:
        bad = tmp_path / "bad-backup.json"
        bad.write_bytes(payload)
        with pytest.raises(DamagedFileError, match=r"bad-backup\.json: damaged"):
            restore_database(db, bad)
        assert check_database(db) == []
        return
    with pytest.raises(DamagedFileError, match=rf"{where}: damaged") as err:
        open_store(db)
    assert "thousands of digits" in str(err.value) or "nested far deeper" in str(err.value)
    assert any(f"{where}: damaged" in p for p in check_database(db))
    _restored_whole(db, backup)


def test_schema_0_is_damage_and_a_schema_0_backup_is_refused(db: Path, tmp_path: Path) -> None:
    backup = _three_records(db)
    data = json.loads((db / "data.json").read_bytes())
    data["_meta"]["store"]["schema_version"] = 0
    old = tmp_path / "schema0.json"
    old.write_text(json.dumps(data))
    before = (db / "data.json").read_bytes()
    with pytest.raises(StoreError, match=r"schema_version 0 was never written"):
        restore_database(db, old)
    assert (db / "data.json").read_bytes() == before
    (db / "data.json").write_text(json.dumps(data))
    count = len(list((db / "backups").iterdir()))
    for _ in range(2):
        with pytest.raises(DamagedFileError, match=r"schema_version 0"):
            open_store(db)
    assert len(list((db / "backups").iterdir())) == count, "a backup was written each time"
    _restored_whole(db, backup)
