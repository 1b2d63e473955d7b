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
import time
from pathlib import Path
from typing import Any

from accmgr.errors import DamagedFileError, StoreError
from accmgr.store import backup, files, integrity, journal, migrations, permissions, snapshot, state
from accmgr.store.api import TABLE_PREFIXES
from accmgr.store.locking import DatabaseLock
from accmgr.store.state import DATA_FILE, JOURNAL_FILE, LOCK_FILE


def _mode_problems(db: Path) -> list[str]:
    return [problem.line for problem in permissions.problems(db)]


def _journal_alone(db: Path, hint: str) -> list[str]:
    """Check the journal on its own, when data.json could not be read."""
    path = db / JOURNAL_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    try:
        head = journal.parse_header(path, raw, hint)
        journal.parse_records(
            path, raw[head.end :], head.end, head.line, 1, hint, chained=head.format >= 2
        )
    except DamagedFileError as exc:
        return [str(exc)]
    return []


def check_database(path: Path) -> list[str]:
    """Every problem found, one line each; ``[]`` means healthy. Reads only, never raises on
    damage. A torn final journal line is not a problem: that write was never acknowledged.
    Every record is checked through the domain, and every counter against the ids and
    document numbers issued."""
    db = Path(path)
    if not db.is_dir():
        return [f"{db} is not a database folder (it does not exist); check the path"]
    problems = _mode_problems(db)
    if not (db / DATA_FILE).exists():
        if (db / JOURNAL_FILE).exists():
            hint = backup.restore_hint(db)
            problems.append(f"{db / DATA_FILE} is missing but the journal exists. {hint}")
        else:
            problems.append(f"{db} holds no accmgr database yet (no {DATA_FILE})")
        return problems
    try:
        disk = state.load(db, locked=False)
    except DamagedFileError as exc:
        problems.append(str(exc))
        if exc.path == db / DATA_FILE:
            problems.extend(_journal_alone(db, exc.hint))
        return problems
    except OSError as exc:
        return [*problems, f"{db} cannot be read ({exc.strerror or exc}); check permissions"]
    problems.extend(_torn_or_cut(db, disk))
    stored, known = disk.meta["schema_version"], migrations.current_version()
    if stored > known:
        problems.append(
            f"{db} was written by a newer accmgr (schema {stored}; this one knows up to {known})"
        )
    found = integrity.problems(disk.tables, disk.meta, TABLE_PREFIXES)
    if found:
        hint = backup.restore_hint(db)
        problems.extend(found)
        problems.append(f"{db}: the records above cannot be used as they are. {hint}")
    return problems


def _torn_or_cut(db: Path, disk: state.DiskState) -> list[str]:
    """A final line without its newline, looked at twice: the first read takes no lock, so
    it may have caught a write in progress; a line still like that a moment later is not."""
    pos = disk.journal
    if pos.stale or pos.size == pos.end:
        return []
    time.sleep(0.05)
    try:
        state.load(db, locked=True)  # settled: a whole line without a newline is damage
    except DamagedFileError as exc:
        return [str(exc)]
    except OSError:
        return []
    return []


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
    # Checked whole before anything is replaced: records, ids, numbers and their counters.
    found = integrity.problems(tables, meta, TABLE_PREFIXES)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise StoreError(f"the backup {source} cannot be used: {found[0]}{more}. {hint}")
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
                snapshot.encode_backup(disk.tables if disk else {}, disk.meta if disk else empty),
            )
            backup.rotate(db, keep=saved)
        generation = max(meta["generation"], current["generation"] if current else 0) + 1
        new_meta = {**meta, "generation": generation}
        new_meta.pop(snapshot.STANDALONE, None)
        if current is not None:
            state.merge_counters(new_meta, current)
        if not (db / JOURNAL_FILE).exists():
            # Killed before the journal below, data.json must not be left without one (that
            # is damage): generation 0 is older than the restored one, so readers skip it.
            journal.create(db / JOURNAL_FILE, 0)
        files.write_atomic(db / DATA_FILE, snapshot.encode(tables, new_meta))
        journal.create(db / JOURNAL_FILE, generation)
    return saved
