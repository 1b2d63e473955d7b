"""The store's public face: :class:`Store`, :class:`Transaction` and :func:`open_store`.

On disk a database is a directory (mode 0700, every file 0600)::

    data.json       snapshot of every table, TinyDB's JSON layout + a _meta table
                    (schema version, generation, id counters); replaced atomically
    journal.jsonl   header with the generation, then one checksummed line per committed
                    transaction; appended with one write + fsync
    lock            the inter-process lock (flock)
    backups/        accmgr-<UTC timestamp>[-auto-<reason>].json, each a valid data.json

Why this shape: stock TinyDB rewrites the whole file on every write (slow, and a kill mid-write
leaves a broken file) and has no locking (two writers corrupt it). Here a write appends only
the changed records (O(size of the change)), a crash can only tear the last, unacknowledged
line, and every writer holds the lock. Compaction (new snapshot, new journal of the next
generation) runs on open/close/compact() when the journal has grown large, never inside a
normal write. Readers take no lock: ``refresh()`` stats both files and reads only the new tail
of the journal, reloading everything only when data.json was replaced.

Nothing here leaks TinyDB to callers: documents are plain mappings, so a database-server
backend could implement the same Store/Transaction surface.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from accmgr.errors import ConflictError, DamagedFileError, NotFoundError, StoreError
from accmgr.store import backup, files, journal, migrations, snapshot, state
from accmgr.store.locking import DatabaseLock
from accmgr.store.state import DATA_FILE, JOURNAL_FILE, LOCK_FILE, DiskState, JournalPos
from accmgr.store.tinydb_backend import MISSING, Backend, ChangeLog, Doc

TABLE_PREFIXES: dict[str, str] = {
    "clients": "C",
    "contacts": "P",
    "deals": "D",
    "activities": "A",
    "products": "PR",
    "documents": "DOC",
    "complaints": "K",
    "rates": "FX",  # one record per base currency and day: {"base", "day", "rates": {quote: rate}}
}
SCHEMA_VERSION: int = migrations.current_version()

#: Compact when the journal is larger than both of these (bytes; fraction of data.json).
COMPACT_MIN_BYTES = 4 * 1024 * 1024
COMPACT_RATIO = 0.25
#: How long close() waits for the lock to compact before leaving it for next time.
CLOSE_LOCK_WAIT = 0.5

_COUNTER_SPACES = {"#ids": "ids", "#numbers": "numbers"}


def open_store(path: Path, *, lock_timeout: float = 10.0) -> Store:
    """Open (creating on first use) the database in directory ``path``.

    Raises DamagedFileError if a file cannot be read (it is left untouched), StoreError if
    the database was written by a newer accmgr, LockTimeoutError if another process holds
    the lock for longer than ``lock_timeout`` seconds.
    """
    try:
        return Store(Path(path), lock_timeout=lock_timeout)
    except OSError as exc:
        raise StoreError(
            f"cannot open the database {path} ({exc.strerror or exc}); check that the folder "
            "exists or can be created, and that you may read and write it"
        ) from exc


def _check_table(table: str) -> None:
    if table not in TABLE_PREFIXES:
        known = ", ".join(TABLE_PREFIXES)
        raise StoreError(f"there is no table {table!r} in the database; known tables: {known}")


def _normalized(table: str, doc_id: object, doc: Mapping[str, Any]) -> Doc:
    """A private deep copy that is exactly what a reload from disk would produce.

    Round-tripping through JSON refuses values JSON cannot hold (with a message naming the
    record) and means a caller mutating its own dict later cannot change the stored one.
    """
    try:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"{doc_id} in {table} cannot be stored ({exc}); convert decimals, dates and other "
            "objects to text or numbers first"
        ) from None
    value: Doc = json.loads(text)
    return value


class Store:
    """An open database. Reads need no lock; writes go through :meth:`transaction`.

    Documents returned by ``get``/``all``/``find`` are the store's own objects, shared to
    keep reads free: callers must not mutate them (copy with ``dict(doc)`` to edit, then
    ``update``). A write never changes a document already handed out; it stores a new one.
    Thread-safe: one re-entrant lock serialises this object's users.
    """

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        self.path = path
        self._data_path = path / DATA_FILE
        self._journal_path = path / JOURNAL_FILE
        self._version = 0
        self._tx: Transaction | None = None
        self._closed = False
        self._tables: snapshot.Tables = {}
        self._backend = Backend(self._tables, list(TABLE_PREFIXES))
        files.ensure_dir(path)
        self._lock = DatabaseLock(path / LOCK_FILE, lock_timeout)
        self._lock.acquire()
        try:
            self._open_locked()
        finally:
            self._lock.release()

    # -- opening ---------------------------------------------------------------------------

    def _open_locked(self) -> None:
        files.remove_temp_files(self.path)
        files.remove_temp_files(self.path / backup.BACKUP_DIR)
        if not self._data_path.exists():
            if self._journal_path.exists():
                state.read_snapshot(self.path, backup.restore_hint(self.path))  # raises
            fresh = snapshot.new_meta(migrations.current_version())
            files.write_atomic(self._data_path, snapshot.encode({}, fresh))
            journal.create(self._journal_path, 0)
        disk = state.load(self.path, locked=True)
        stored, known = disk.meta["schema_version"], migrations.current_version()
        if stored > known:
            raise self._newer_schema(stored, known)
        self._install(disk)
        if stored < known:
            self._backup_locked(backup.default_path(self.path, f"before-migration-v{stored}"))
            migrations.migrate(self._tables, stored)
            self._meta["schema_version"] = known
            self._compact_locked()
        elif self._compaction_due():
            self._compact_locked()
        else:
            self._prepare_journal()
        if backup.daily_due(self.path) and state.doc_count(self._tables):
            self._backup_locked(backup.default_path(self.path, "daily"))

    def _newer_schema(self, stored: int, known: int) -> StoreError:
        return StoreError(
            f"{self.path} was written by a newer accmgr (schema {stored}; this one knows up to "
            f"{known}); upgrade accmgr to open it — the database was not changed"
        )

    def _install(self, disk: DiskState) -> None:
        for name in TABLE_PREFIXES:
            disk.tables.setdefault(name, {})
        self._tables = disk.tables
        self._meta = disk.meta
        self._data_id: files.FileId | None = disk.data_id
        self._jpos = disk.journal
        self._backend.replace_data(self._tables)

    # -- reading ---------------------------------------------------------------------------

    @contextmanager
    def _reading(self, table: str | None = None) -> Iterator[None]:
        with self._lock.local:
            if self._closed:
                raise StoreError(f"the database {self.path} is closed; open it again")
            if table is not None:
                _check_table(table)
            yield

    def get(self, table: str, doc_id: str) -> Mapping[str, Any] | None:
        """The document, or None. Shared, not copied: do not mutate it."""
        with self._reading(table):
            return self._tables[table].get(doc_id)

    def all(self, table: str) -> list[Mapping[str, Any]]:
        with self._reading(table):
            return list(self._tables[table].values())

    def find(self, table: str, **equals: Any) -> list[Mapping[str, Any]]:
        """Documents whose fields equal every keyword argument (cached until the table changes)."""
        with self._reading(table):
            return self._backend.find(table, equals)

    def count(self, table: str) -> int:
        with self._reading(table):
            return len(self._tables[table])

    @property
    def version(self) -> int:
        """Grows by one with every change seen (own commits, refreshed ones, reloads)."""
        return self._version

    def refresh(self) -> bool:
        """Pick up other processes' commits; True if anything changed. Two stats when idle."""
        with self._reading():
            return self._refresh(locked=False)

    def _refresh(self, *, locked: bool) -> bool:
        if files.stat_id(self._data_path) != self._data_id:
            return self._reload(locked=locked)
        pos = self._jpos
        try:
            st = os.stat(self._journal_path)
        except FileNotFoundError:
            return False if pos.inode is None else self._reload(locked=locked)
        if st.st_ino != pos.inode or st.st_size < pos.end or (pos.stale and st.st_size != pos.size):
            return self._reload(locked=locked)
        if st.st_size == pos.size == pos.end or pos.stale:
            return False
        return self._read_tail(locked=locked)

    def _read_tail(self, *, locked: bool) -> bool:
        pos = self._jpos
        with open(self._journal_path, "rb") as handle:
            if os.fstat(handle.fileno()).st_ino != pos.inode:
                return self._reload(locked=locked)  # replaced between stat and open
            handle.seek(pos.end)
            raw = handle.read()
        try:
            tail = journal.parse_records(self._journal_path, raw, pos.end, pos.lines, "")
        except DamagedFileError as exc:  # the hint lists backups: only worth it on damage
            hint = backup.restore_hint(self.path)
            raise DamagedFileError(exc.path, exc.position, exc.reason, hint) from None
        pos.size = pos.end + len(raw)
        if not tail.records:
            return False
        touched: set[str] = set()
        for rec in tail.records:
            touched |= state.apply_record(self._tables, self._meta, rec)
        pos.end, pos.lines = tail.end, tail.lines
        self._backend.clear_caches(touched)
        self._version += len(tail.records)
        return True

    def _reload(self, *, locked: bool) -> bool:
        disk = state.load(self.path, locked=locked)
        stored, known = disk.meta["schema_version"], migrations.current_version()
        if stored > known:
            raise self._newer_schema(stored, known)
        self._install(disk)
        self._version += 1
        return True

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """All-or-nothing changes, durable (fsynced) when the ``with`` block exits normally.

        Takes the inter-process lock (LockTimeoutError after ``lock_timeout``), catches up
        with other processes' commits, and rolls every change back if the block raises.
        A nested ``transaction()`` in the same thread joins the outer one; if the inner
        block raises, only its own changes are undone.
        """
        with self._reading():
            pass
        self._lock.acquire()
        try:
            outer = self._tx
            if outer is not None:
                mark = len(outer._changes.undo)
                try:
                    yield outer
                except BaseException:
                    self._rollback(outer._changes, mark)
                    raise
                return
            self._refresh(locked=True)
            self._prepare_journal()
            tx = Transaction(self)
            self._tx = tx
            self._backend.storage.changes = tx._changes
            try:
                yield tx
                self._commit(tx._changes)
            except BaseException:
                self._rollback(tx._changes)
                raise
            finally:
                tx._open = False
                self._tx = None
                self._backend.storage.changes = None
        finally:
            self._lock.release()

    def _prepare_journal(self) -> None:
        """Under the lock: make the journal ready to append to (fresh, no torn tail)."""
        pos = self._jpos
        if pos.inode is None or pos.stale:
            journal.create(self._journal_path, self._meta["generation"])
            size = os.stat(self._journal_path).st_size
            self._jpos = JournalPos(os.stat(self._journal_path).st_ino, size, size, 1)
        elif pos.size > pos.end:
            journal.truncate(self._journal_path, pos.end)
            pos.size = pos.end

    def _space(self, space: str) -> dict[str, Any]:
        counters = _COUNTER_SPACES.get(space)
        if counters is not None:
            result: dict[str, Any] = self._meta[counters]
            return result
        return self._tables[space]

    def _rollback(self, changes: ChangeLog, mark: int = 0) -> None:
        touched: set[str] = set()
        while len(changes.undo) > mark:
            space, key, previous = changes.undo.pop()
            target = self._space(space)
            if previous is MISSING:
                target.pop(key, None)
            else:
                target[key] = previous
            touched.add(space)
        self._backend.clear_caches(touched)

    def _commit(self, changes: ChangeLog) -> None:
        ops: list[list[Any]] = []
        counters: dict[str, dict[str, int]] = {"ids": {}, "numbers": {}}
        for (space, key), original in changes.first.items():
            current = self._space(space).get(key, MISSING)
            if current is original:
                continue
            if space in _COUNTER_SPACES:
                counters[_COUNTER_SPACES[space]][key] = current
            elif current is MISSING:
                ops.append(["del", space, key])
            else:
                ops.append(["put", space, key, current])
        if not ops and not counters["ids"] and not counters["numbers"]:
            return
        line = journal.encode_line({"ops": ops, **counters})
        pos = self._jpos
        try:
            journal.append(self._journal_path, line, pos.end)
        except OSError as exc:
            raise StoreError(
                f"could not write to {self._journal_path} ({exc.strerror or exc}); nothing was "
                "saved — free some disk space or check the folder's permissions, then try again"
            ) from exc
        pos.end += len(line)
        pos.size = pos.end
        pos.lines += 1
        self._version += 1

    # -- maintenance -----------------------------------------------------------------------

    def _compaction_due(self) -> bool:
        size = self._jpos.size
        data_size = self._data_id.size if self._data_id else 0
        return size > COMPACT_MIN_BYTES and size > COMPACT_RATIO * data_size

    def _compact_locked(self) -> None:
        """New snapshot of the next generation, then a new empty journal of that generation.

        A crash between the two leaves a journal of the older generation: already inside
        the snapshot, so readers ignore it and the next writer replaces it.
        """
        generation = self._meta["generation"] + 1
        data = snapshot.encode(self._tables, {**self._meta, "generation": generation})
        files.write_atomic(self._data_path, data)
        del data
        self._meta["generation"] = generation
        self._data_id = files.stat_id(self._data_path)
        journal.create(self._journal_path, generation)
        st = os.stat(self._journal_path)
        self._jpos = JournalPos(st.st_ino, st.st_size, st.st_size, 1)

    def _backup_locked(self, dest: Path) -> Path:
        data = snapshot.encode(self._tables, self._meta)
        written = backup.write(dest, data)
        if backup.AUTO_MARK in dest.name:
            backup.rotate(self.path)
        return written

    @contextmanager
    def _maintenance(self) -> Iterator[None]:
        with self._reading():
            if self._tx is not None:
                raise StoreError("finish the open transaction before backing up or compacting")
            self._lock.acquire()
            try:
                self._refresh(locked=True)
                yield
            finally:
                self._lock.release()

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent single-file copy (0600), by default in ``path/backups``; its path."""
        with self._maintenance():
            return self._backup_locked(Path(dest) if dest else backup.default_path(self.path))

    def backups(self) -> list[Path]:
        """Backups in ``path/backups``, newest first."""
        return backup.list_backups(self.path)

    def compact(self) -> None:
        """Fold the journal into a new snapshot now (normally done on open and close)."""
        with self._maintenance():
            self._compact_locked()

    def close(self) -> None:
        """Compact if the journal has grown large and the lock is free; then close."""
        with self._lock.local:
            if self._closed:
                return
            if self._tx is not None:
                raise StoreError("finish the open transaction before closing the database")
            if self._compaction_due():
                try:
                    self._lock.acquire(timeout=CLOSE_LOCK_WAIT)
                except StoreError:
                    pass  # busy: the next open or close compacts
                else:
                    try:
                        self._refresh(locked=True)
                        if self._compaction_due():
                            self._compact_locked()
                    except (StoreError, OSError):
                        pass  # compaction is an optimisation; the journal is complete
                    finally:
                        self._lock.release()
            self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.path} version={self._version}>"


class Transaction:
    """Changes made inside ``with store.transaction() as tx``; valid only inside the block."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._changes = ChangeLog()
        self._open = True

    def _live(self, table: str) -> dict[str, Doc]:
        if not self._open:
            raise StoreError("this transaction has ended; start a new one with transaction()")
        _check_table(table)
        return self._store._tables[table]

    def _bump(self, space: str, name: str, value: int) -> None:
        counters = self._store._space(space)
        self._changes.record(space, name, counters.get(name, MISSING))
        counters[name] = value

    def new_id(self, table: str) -> str:
        """The next id of ``table`` ("D-0124"); never handed out again, even after deletion."""
        live = self._live(table)
        n = self._store._meta["ids"].get(table, 0)
        while True:
            n += 1
            doc_id = f"{TABLE_PREFIXES[table]}-{n:04d}"
            if doc_id not in live:
                break
        self._bump("#ids", table, n)
        return doc_id

    def next_number(self, counter: str) -> int:
        """1, 2, 3… per counter name (e.g. "OFR-2026"); a number is never handed out twice."""
        if not self._open:
            raise StoreError("this transaction has ended; start a new one with transaction()")
        if not isinstance(counter, str) or not counter:
            raise StoreError(f"a counter needs a non-empty name, not {counter!r}")
        n = int(self._store._meta["numbers"].get(counter, 0)) + 1
        self._bump("#numbers", counter, n)
        return n

    def insert(self, table: str, doc: Mapping[str, Any]) -> Mapping[str, Any]:
        """Store a new document; it must carry its "id" (from new_id). Sets "rev" to 1."""
        live = self._live(table)
        doc_id = doc.get("id") if isinstance(doc, Mapping) else None
        if not isinstance(doc_id, str) or not doc_id:
            raise StoreError(f"a new {table} record needs an 'id' from new_id(), got {doc_id!r}")
        if doc_id in live:
            raise StoreError(f"{doc_id} already exists in {table}; take a new id from new_id()")
        new = _normalized(table, doc_id, doc)
        new["rev"] = 1
        self._store._backend.insert(table, doc_id, new)
        return live[doc_id]

    def _current(self, table: str, doc_id: str, expected_rev: int | None) -> Doc:
        current = self._live(table).get(doc_id)
        if current is None:
            raise NotFoundError(
                f"{doc_id} is not in {table} (another accmgr may have deleted it); reload and "
                "try again"
            )
        rev = current.get("rev", 0)
        if expected_rev is not None and rev != expected_rev:
            raise ConflictError(
                f"{doc_id} was changed by another accmgr (revision {rev}, you had "
                f"{expected_rev}); reload it and try again"
            )
        return current

    def update(
        self, table: str, doc_id: str, doc: Mapping[str, Any], *, expected_rev: int | None
    ) -> Mapping[str, Any]:
        """Replace the document; ConflictError if its "rev" is not ``expected_rev``."""
        current = self._current(table, doc_id, expected_rev)
        if doc.get("id", doc_id) != doc_id:
            raise StoreError(f"cannot change the id of {doc_id} to {doc.get('id')!r}")
        new = _normalized(table, doc_id, doc)
        new["id"] = doc_id
        new["rev"] = int(current.get("rev", 0)) + 1
        self._store._backend.replace(table, doc_id, new)
        return self._store._tables[table][doc_id]

    def delete(
        self, table: str, doc_id: str, *, expected_rev: int | None = None
    ) -> Mapping[str, Any]:
        """Remove the document and return it (so the caller can offer to undo)."""
        current = self._current(table, doc_id, expected_rev)
        self._store._backend.remove(table, doc_id)
        return current

    def get(self, table: str, doc_id: str) -> Mapping[str, Any] | None:
        """Sees this transaction's own changes."""
        return self._live(table).get(doc_id)

    def find(self, table: str, **equals: Any) -> list[Mapping[str, Any]]:
        self._live(table)
        return self._store._backend.find(table, equals)
