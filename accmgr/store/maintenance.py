"""Checking a database without touching it, and restoring one from a backup.

``check_database`` never writes (not even the lock file) and never raises on damage: it is
what a user runs when opening failed. ``restore_database`` never deletes anything: the state
it replaces goes into a backup, or — when it cannot be read — its files are moved aside into
``damaged-<timestamp>/`` byte for byte.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Any

from accmgr.errors import DamagedFileError, StoreError
from accmgr.store import backup, files, journal, migrations, snapshot, state
from accmgr.store.api import TABLE_PREFIXES
from accmgr.store.locking import DatabaseLock
from accmgr.store.state import DATA_FILE, JOURNAL_FILE, LOCK_FILE

_MAX_RECORD_PROBLEMS = 20


def _mode_problems(db: Path) -> list[str]:
    problems: list[str] = []
    candidates = [db, db / DATA_FILE, db / JOURNAL_FILE, db / LOCK_FILE, *backup.list_backups(db)]
    for path in candidates:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            want = "700" if path == db else "600"
            problems.append(
                f"{path} can be read by other users (mode {mode:o}); run: chmod {want} {path}"
            )
    return problems


def _journal_alone(db: Path, hint: str) -> list[str]:
    """Check the journal on its own, when data.json could not be read."""
    path = db / JOURNAL_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    if not raw:
        return []
    try:
        _, start = journal.parse_header(path, raw, hint)
        journal.parse_records(path, raw[start:], start, 1, hint)
    except DamagedFileError as exc:
        return [str(exc)]
    return []


def _record_problems(tables: snapshot.Tables, meta: snapshot.Meta) -> list[str]:
    problems: list[str] = []
    for table, prefix in TABLE_PREFIXES.items():
        pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
        highest = 0
        for doc_id, doc in tables.get(table, {}).items():
            if doc.get("id") != doc_id:
                problems.append(f"{table} record {doc_id} carries the id {doc.get('id')!r}")
            rev = doc.get("rev")
            if not isinstance(rev, int) or isinstance(rev, bool) or rev < 1:
                problems.append(f"{table} record {doc_id} has no valid revision ({rev!r})")
            match = pattern.fullmatch(doc_id)
            if match:
                highest = max(highest, int(match.group(1)))
        counter = meta["ids"].get(table, 0)
        if highest > counter:
            problems.append(
                f"the id counter of {table} ({counter}) is behind its highest id ({highest}); "
                "ids of deleted records could be handed out again"
            )
    if len(problems) > _MAX_RECORD_PROBLEMS:
        more = len(problems) - _MAX_RECORD_PROBLEMS
        problems = [*problems[:_MAX_RECORD_PROBLEMS], f"… and {more} more record problems"]
    return problems


def check_database(path: Path) -> list[str]:
    """Every problem found, one line each; ``[]`` means healthy. Reads only, never raises on
    damage. A torn final journal line is not a problem: that write was never acknowledged."""
    db = Path(path)
    if not db.is_dir():
        return [f"{db} is not a database folder (it does not exist); check the path"]
    problems = _mode_problems(db)
    hint = backup.restore_hint(db)
    if not (db / DATA_FILE).exists():
        if (db / JOURNAL_FILE).exists():
            problems.append(f"{db / DATA_FILE} is missing but the journal exists. {hint}")
        else:
            problems.append(f"{db} holds no accmgr database yet (no {DATA_FILE})")
        return problems
    try:
        disk = state.load(db, locked=False)
    except DamagedFileError as exc:
        problems.append(str(exc))
        if exc.path == db / DATA_FILE:
            problems.extend(_journal_alone(db, hint))
        return problems
    except OSError as exc:
        return [*problems, f"{db} cannot be read ({exc.strerror or exc}); check permissions"]
    stored, known = disk.meta["schema_version"], migrations.current_version()
    if stored > known:
        problems.append(
            f"{db} was written by a newer accmgr (schema {stored}; this one knows up to {known})"
        )
    problems.extend(_record_problems(disk.tables, disk.meta))
    return problems


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _move_aside(db: Path) -> Path:
    """Put the current data files into damaged-<timestamp>/ without changing a byte.

    Hard links first, so that data.json keeps existing until the restored one replaces it
    atomically; a rename where links are not supported.
    """
    aside = db / f"damaged-{_stamp()}"
    aside.mkdir()
    os.chmod(aside, files.DIR_MODE)
    for name in (DATA_FILE, JOURNAL_FILE):
        source = db / name
        if not source.exists():
            continue
        try:
            os.link(source, aside / name)
        except OSError:
            os.replace(source, aside / name)
    files.fsync_dir(aside)
    return aside


def _salvaged_meta(db: Path, aside: Path, current: dict[str, Any] | None) -> dict[str, Any]:
    """The highest counters still provable after damage: readable snapshot, journal, backups."""
    salvaged: dict[str, Any] = {"ids": {}, "numbers": {}, "generation": 0}
    if current is not None:
        salvaged = {**current, "ids": dict(current["ids"]), "numbers": dict(current["numbers"])}
    with contextlib.suppress(OSError):
        left = (aside / JOURNAL_FILE).read_bytes()
        state.merge_counters(salvaged, journal.salvage_counters(left))
    for copy in backup.list_backups(db):
        try:
            state.merge_counters(salvaged, snapshot.decode(copy, copy.read_bytes(), "")[1])
        except (DamagedFileError, OSError):
            continue  # a damaged backup proves nothing; the others still count
    return salvaged


def _refuse_what_is_not_a_file(db: Path) -> None:
    """A folder where the database or one of its files belongs is not ours to move: say so."""
    if db.exists() and not db.is_dir():
        raise StoreError(f"{db} is a file, not a database folder; nothing was restored")
    for name in (DATA_FILE, JOURNAL_FILE, LOCK_FILE):
        found = db / name
        if found.exists() and not found.is_file():
            raise StoreError(
                f"{found} is a folder or a device, not the database's file; move it out of the "
                "way, then restore again — nothing was restored"
            )


def restore_database(path: Path, backup_file: Path, *, lock_timeout: float = 10.0) -> Path:
    """Replace the database with ``backup_file``; return where the previous state was saved.

    The backup is parsed and validated first (a damaged backup changes nothing). A readable
    current state is saved as an automatic backup; an unreadable one is moved aside into
    ``path/damaged-<timestamp>/``. Id and number counters never go backwards, so an id issued
    after the backup was taken is not handed out again: when the current state is unreadable,
    the counters come from what survives of it (intact journal lines) and every backup.
    """
    db, source = Path(path), Path(backup_file)
    _refuse_what_is_not_a_file(db)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read the backup {source} ({exc.strerror or exc})") from None
    hint = f"Nothing was restored; choose another backup (accmgr lists them in {db / 'backups'})."
    tables, meta = snapshot.decode(source, raw, hint)
    del raw
    known = migrations.current_version()
    if meta["schema_version"] > known:
        raise StoreError(
            f"the backup {source} was written by a newer accmgr (schema "
            f"{meta['schema_version']}; this one knows up to {known}); upgrade accmgr first"
        )
    files.ensure_dir(db)
    lock = DatabaseLock(db / LOCK_FILE, lock_timeout)
    with lock:
        current: dict[str, Any] | None = None
        data_exists = (db / DATA_FILE).exists() or (db / JOURNAL_FILE).exists()
        try:
            disk = state.load(db, locked=True) if data_exists else None
        except DamagedFileError:
            try:  # data.json may still be readable when only the journal is damaged
                current = state.read_snapshot(db, "")[1]
            except (DamagedFileError, OSError):
                current = None
            saved = _move_aside(db)
            current = _salvaged_meta(db, saved, current)
        else:
            empty = snapshot.new_meta(known)
            current = disk.meta if disk else None
            saved = backup.write(
                backup.default_path(db, "before-restore"),
                snapshot.encode(disk.tables if disk else {}, disk.meta if disk else empty),
            )
            backup.rotate(db)
        generation = max(meta["generation"], current["generation"] if current else 0) + 1
        new_meta = {**meta, "generation": generation}
        if current is not None:
            state.merge_counters(new_meta, current)
        files.write_atomic(db / DATA_FILE, snapshot.encode(tables, new_meta))
        journal.create(db / JOURNAL_FILE, generation)
    return saved
