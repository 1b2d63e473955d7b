"""Reading a whole database (snapshot + journal) into memory, with or without the lock.

Writers hold the lock; readers do not, so a reader can catch a compaction between reading
data.json and reading the journal. That shows as a journal of a *newer* generation than the
snapshot just read, while data.json has meanwhile changed: read again. Only when data.json
has not changed is a newer journal generation real damage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accmgr.errors import DamagedFileError
from accmgr.store import backup, files, journal, snapshot
from accmgr.store.files import FileId
from accmgr.store.snapshot import Meta, Tables

DATA_FILE = "data.json"
JOURNAL_FILE = "journal.jsonl"
LOCK_FILE = "lock"

_RACE_RETRIES = 5


@dataclass
class JournalPos:
    """How far this process has read the journal, and which journal file that was."""

    inode: int | None = None  # None: no journal file (yet)
    end: int = 0  # offset after the last complete line read
    size: int = 0  # file size when read; > end means a torn tail follows
    lines: int = 0
    stale: bool = False  # generation older than the snapshot's: ignored, to be replaced
    format: int = journal.FORMAT
    # The last complete line read or written (what the next line chains on), and the file's
    # identity when it was read or written: anything else touching the file changes it.
    last_line: bytes = b""
    file_id: FileId | None = None


@dataclass(frozen=True)
class Follows:
    """What an open store already read: with the same data.json, a journal read again must
    still hold it, or acknowledged records were cut away or replaced."""

    data_id: FileId
    end: int
    last_line: bytes
    lines: int


@dataclass
class DiskState:
    tables: Tables
    meta: Meta
    data_id: FileId
    journal: JournalPos
    records: int  # journal records applied on top of the snapshot


def apply_record(tables: Tables, meta: Meta, rec: journal.Record) -> set[str]:
    """Apply one committed transaction; returns the names of the tables it touched."""
    touched: set[str] = set()
    for op in rec["ops"]:
        kind, table, doc_id = op[0], op[1], op[2]
        touched.add(table)
        if kind == "put":
            tables.setdefault(table, {})[doc_id] = op[3]
        else:
            tables.get(table, {}).pop(doc_id, None)
    for key in ("ids", "numbers"):
        counters: dict[str, int] = meta[key]
        for name, value in rec[key].items():
            if value > counters.get(name, 0):
                counters[name] = value
    return touched


def read_snapshot(db: Path, hint: str) -> tuple[Tables, Meta, FileId]:
    path = db / DATA_FILE
    try:
        raw, data_id = files.read_bytes(path)
    except FileNotFoundError:
        raise DamagedFileError(path, "the file", "it is missing", hint) from None
    tables, meta = snapshot.decode(path, raw, hint)
    return tables, meta, data_id


def read_journal(
    db: Path,
    generation: int,
    hint: str,
    *,
    settled: bool = True,
    follows: Follows | None = None,
    standalone: bool = False,
) -> tuple[JournalPos, list[journal.Record]]:
    """The journal's records that belong on top of a snapshot of ``generation``.

    Raises :class:`_NewerJournal` when the journal is ahead of that snapshot. A missing or
    empty journal is damage: accmgr never leaves one behind (a new database writes its
    journal before data.json; compaction and restore replace it atomically), so what it held
    is gone — unless data.json is a backup copied in (``standalone``). ``settled``: see
    :func:`journal.parse_records`.
    """
    path = db / JOURNAL_FILE
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
            st = os.fstat(handle.fileno())
    except FileNotFoundError:
        if standalone:
            return JournalPos(), []
        reason = "it is missing, so every record written since the last compaction is gone"
        raise DamagedFileError(path, "the file", reason, hint) from None
    # The identity of exactly what was read; an append since then shows as growth.
    seen = FileId.of(st) if st.st_size == len(raw) else None
    pos = JournalPos(inode=st.st_ino, size=len(raw), file_id=seen)
    head = journal.parse_header(path, raw, hint)
    pos.format, pos.last_line = head.format, head.line
    if head.generation < generation:
        pos.stale = True
        return pos, []
    if head.generation > generation:
        raise _NewerJournal(head.generation)
    if follows is not None:
        back = len(follows.last_line)
        if raw[follows.end - back : follows.end] != follows.last_line:
            position = f"line {follows.lines} (byte {max(follows.end - back, 0)})"
            reason = (
                f"lines already read from it (up to byte {follows.end}) are gone or changed: "
                "the file was cut, edited or replaced"
            )
            raise DamagedFileError(path, position, reason, hint)
    tail = journal.parse_records(
        path,
        raw[head.end :],
        head.end,
        head.line,
        1,
        hint,
        chained=head.format >= 2,
        settled=settled,
    )
    pos.end, pos.lines, pos.last_line = tail.end, tail.lines, tail.last_line
    return pos, tail.records


class _NewerJournal(Exception):
    def __init__(self, generation: int) -> None:
        self.generation = generation


def load(
    db: Path, *, locked: bool, hint: str | None = None, follows: Follows | None = None
) -> DiskState:
    """The database as it is on disk now. Raises DamagedFileError, FileNotFoundError.

    ``hint`` ends a damage message; by default the restore command (looked up only on damage:
    choosing the backup to name reads the backups).
    """
    try:
        return _load(db, locked=locked, hint=hint or "", follows=follows)
    except DamagedFileError as exc:
        if hint is not None:
            raise
        raise exc.with_hint(backup.restore_hint(db)) from None


def _load(db: Path, *, locked: bool, hint: str, follows: Follows | None) -> DiskState:
    for _ in range(_RACE_RETRIES):
        tables, meta, data_id = read_snapshot(db, hint)
        try:
            same = follows if follows is not None and follows.data_id == data_id else None
            pos, records = read_journal(
                db,
                meta["generation"],
                hint,
                settled=locked,
                follows=same,
                standalone=meta.get(snapshot.STANDALONE) is True,
            )
        except _NewerJournal as exc:
            if not locked and files.stat_id(db / DATA_FILE) != data_id:
                continue  # a compaction ran between the two reads: read both again
            raise DamagedFileError(
                db / JOURNAL_FILE,
                "line 1 (byte 0)",
                f"its generation {exc.generation} is newer than data.json's "
                f"{meta['generation']}, so data.json was replaced by an older file",
                hint,
            ) from None
        except DamagedFileError:
            if not locked and files.stat_id(db / DATA_FILE) != data_id:
                continue  # replaced by a compaction or a restore while being read
            raise
        for rec in records:
            apply_record(tables, meta, rec)
        return DiskState(tables, meta, data_id, pos, len(records))
    raise DamagedFileError(
        db / DATA_FILE, "the file", "it kept changing while being read", "Try again."
    )


def doc_count(tables: Tables) -> int:
    return sum(len(t) for t in tables.values())


def merge_counters(meta: Meta, other: Meta) -> None:
    """Keep the higher of each id/number counter, so no id is ever handed out twice."""
    for key in ("ids", "numbers"):
        mine: dict[str, Any] = meta.setdefault(key, {})
        for name, value in other.get(key, {}).items():
            if isinstance(value, int) and value > mine.get(name, 0):
                mine[name] = value
