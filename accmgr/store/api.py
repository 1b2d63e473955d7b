"""The store's public face: :class:`Store`, :class:`Transaction` and :func:`open_store`.

On disk a database is a directory (mode 0700, every file 0600)::

    data.json       snapshot of every table, TinyDB's JSON layout + a _meta table
                    (schema version, generation, id counters); replaced atomically
    journal.jsonl   header with the generation, then one line per committed transaction,
                    its checksum chained on the line before; appended with one write + fsync
    lock            the inter-process lock (flock)
    backups/        accmgr-<UTC timestamp>[-auto-<reason>].json, each a valid data.json

Why this shape: stock TinyDB rewrites the whole file on every write (slow, and a kill mid-write
leaves a broken file) and has no locking (two writers corrupt it). Here a write appends only
the changed records (O(size of the change)), a crash can only tear the last, unacknowledged
line, and every writer holds the lock. Before appending, a writer checks that the journal is
the file it read and that the line it chains on is unchanged: it never builds on damage.
Compaction (new snapshot, new journal of the next generation) runs on open/close/compact()
when the journal has grown large, never inside a normal write. Readers take no lock:
``refresh()`` stats both files and reads only the new tail of the journal, reloading
everything only when data.json was replaced or the journal changed other than by appending.

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
from accmgr.store import backup, changes, files, journal, migrations, permissions, snapshot, state
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
    changes.CHANGES: "CH",
    changes.TRASH: "TR",
    "rates": "FX",  # one record per base currency and day: {"base", "day", "rates": {quote: rate}}
}
SCHEMA_VERSION: int = migrations.current_version()

#: Compact when the journal is larger than both of these (bytes; fraction of data.json).
COMPACT_MIN_BYTES = 4 * 1024 * 1024
COMPACT_RATIO = 0.25
#: How long close() waits for the lock to compact before leaving it for next time.
CLOSE_LOCK_WAIT = 0.5

_COUNTER_SPACES = {"#ids": "ids", "#numbers": "numbers"}


def open_store(path: Path, *, lock_timeout: float = 10.0, init: bool = False) -> Store:
    """Open (creating on first use) the database in directory ``path``.

    Raises DamagedFileError if a file cannot be read (it is left untouched), StoreError if
    the database was written by a newer accmgr or ``path`` is a non-empty folder holding no
    database (unless ``init``), LockTimeoutError if another process holds the lock for
    longer than ``lock_timeout`` seconds. ``Store.warnings`` says what the user should know
    but that does not stop the work (a daily backup that failed, loose permissions).
    """
    try:
        return Store(Path(path), lock_timeout=lock_timeout, init=init)
    except OSError as exc:
        raise StoreError(
            f"cannot open the database {path} ({exc.strerror or exc}); check that the folder "
            "exists or can be created, and that you may read and write it"
        ) from exc


def _refuse_foreign_folder(path: Path) -> None:
    """A folder holding other things and no database is not made into one by a typo."""
    try:
        names = sorted(os.listdir(path))
    except (FileNotFoundError, NotADirectoryError):
        return  # created (or refused) by ensure_dir, with its own message
    if DATA_FILE in names or JOURNAL_FILE in names:
        return
    foreign = [n for n in names if n not in (LOCK_FILE, backup.BACKUP_DIR)]
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise StoreError(
            f"{path} is not an accmgr database and is not empty ({shown}); nothing was "
            "written — choose a new or empty folder, or add --init to make a database here"
        )


def _only_first_header(path: Path) -> bool:
    return path.read_bytes() == journal.header(0)


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

    def __init__(self, path: Path, *, lock_timeout: float = 10.0, init: bool = False) -> None:
        self.path = path
        #: One line each: what the user must hear about but that did not stop the work.
        self.warnings: list[str] = []
        self._daily_pending = False
        self._data_path = path / DATA_FILE
        self._journal_path = path / JOURNAL_FILE
        self._version = 0
        self._tx: Transaction | None = None
        self._closed = False
        self._tables: snapshot.Tables = {}
        # Damage seen while open: every write is refused with it until the files change and
        # read back whole (a restore). The identities tell when to look again.
        self._damage: DamagedFileError | None = None
        self._damage_ids: tuple[files.FileId | None, files.FileId | None] = (None, None)
        self._batch: _Batch | None = None
        #: Who the change log names for this store's commits (set by the CLI and the app).
        self.author = changes.Author()
        self._backend = Backend(self._tables, list(TABLE_PREFIXES))
        if not init:
            _refuse_foreign_folder(path)
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
            # The journal is written first, so a new database is never a data.json without a
            # journal (which is damage). A journal holding only the header of generation 0
            # is what a creation killed half-way leaves: nothing in it was ever acknowledged.
            if self._journal_path.exists() and not _only_first_header(self._journal_path):
                state.read_snapshot(self.path, backup.restore_hint(self.path))  # raises
            journal.create(self._journal_path, 0)
            fresh = snapshot.new_meta(migrations.current_version())
            files.write_atomic(self._data_path, snapshot.encode({}, fresh))
        disk = state.load(self.path, locked=True)
        stored, known = disk.meta["schema_version"], migrations.current_version()
        if stored > known:
            raise self._newer_schema(stored, known)
        self._install(disk)
        if self._meta.pop(snapshot.STANDALONE, False):
            self._compact_locked()  # from now on data.json has a journal beside it
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
            self._daily_backup_on_open(fresh_snapshot=disk.records == 0 and stored == known)
        self.warnings.extend(permissions.warning(self.path))
        self.warnings.extend(filter(None, [backup.clock_warning(self.path)]))

    def _daily_backup_on_open(self, *, fresh_snapshot: bool) -> None:
        """The daily backup, without making the day's first command wait for it.

        When no journal record sits on top of data.json, data.json *is* the backup: a byte
        copy under the lock (no encoding). Otherwise writing the snapshot out is left to
        close(), after the command's work; either way a failure is a warning, never a reason
        to refuse the user's work (their changes are safe in data.json and the journal).
        """
        if not fresh_snapshot:
            self._daily_pending = True
            return
        try:
            written = backup.copy_file(self._data_path, backup.default_path(self.path, "daily"))
            backup.rotate(self.path, keep=written)
        except (OSError, StoreError) as exc:
            self.warnings.append(self._daily_failed(exc))

    def _daily_failed(self, exc: BaseException) -> str:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return (
            f"the daily backup could not be written to {self.path / backup.BACKUP_DIR} "
            f"({reason}); your work is saved as usual — free some disk space or make the "
            "folder writable"
        )

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

    @property
    def damage(self) -> DamagedFileError | None:
        """Damage found in the files since they were opened, or None.

        While set, :meth:`refresh` keeps what was read before and every write is refused with
        this error; it clears when the files are replaced by intact ones (a restore).
        """
        return self._damage

    def refresh(self) -> bool:
        """Pick up other processes' commits; True if anything changed. Two stats when idle.

        Damage does not raise here (a screen that polls keeps what it shows): it is kept in
        :attr:`damage`, and the next write raises it.
        """
        with self._reading():
            try:
                return self._refresh(locked=False)
            except DamagedFileError:
                return False

    def _refresh(self, *, locked: bool) -> bool:
        if self._damage is not None:
            return self._refresh_damaged(locked=locked)
        try:
            return self._refresh_intact(locked=locked)
        except DamagedFileError as exc:
            self._note_damage(exc)
            raise

    def _note_damage(self, exc: DamagedFileError) -> None:
        self._damage = exc
        self._damage_ids = (files.stat_id(self._data_path), files.stat_id(self._journal_path))

    def _refresh_damaged(self, *, locked: bool) -> bool:
        ids = (files.stat_id(self._data_path), files.stat_id(self._journal_path))
        if ids != self._damage_ids:
            self._damage_ids = ids
            try:
                changed = self._reload(locked=locked)
            except DamagedFileError as exc:
                self._damage = exc
            else:
                self._damage = None
                return changed
        assert self._damage is not None
        raise self._damage

    def _refresh_intact(self, *, locked: bool) -> bool:
        if files.stat_id(self._data_path) != self._data_id:
            return self._reload(locked=locked)
        pos = self._jpos
        try:
            st = os.stat(self._journal_path)
        except FileNotFoundError:
            return self._reload(locked=locked)  # damage: a journal never goes away by itself
        if pos.stale:
            if st.st_ino != pos.inode or st.st_size != pos.size:
                return self._reload(locked=locked)
            return False
        if files.FileId.of(st) == pos.file_id:
            return False
        if st.st_ino != pos.inode:
            return self._reload(locked=locked)
        if st.st_size < pos.end:
            raise self._cut_short(st.st_size)
        if st.st_size == pos.size == pos.end:
            # The same size but touched: changed in place. Reading it all again checks every
            # line and the chain from the start.
            return self._reload(locked=locked)
        return self._read_tail(locked=locked)

    def _cut_short(self, size: int) -> DamagedFileError:
        pos = self._jpos
        return DamagedFileError(
            self._journal_path,
            f"byte {size}",
            f"the file is shorter than the {pos.end} bytes ({pos.lines} lines) already read "
            "from it, so acknowledged records were cut off",
            backup.restore_hint(self.path),
        )

    def _read_tail(self, *, locked: bool) -> bool:
        pos = self._jpos
        back = len(pos.last_line)
        with open(self._journal_path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_ino != pos.inode:
                return self._reload(locked=locked)  # replaced between stat and open
            handle.seek(pos.end - back)
            raw = handle.read()
            after = os.fstat(handle.fileno())
        # The identity of exactly what was read; an append since then shows as growth.
        seen = files.FileId.of(after) if after.st_size == pos.end - back + len(raw) else None
        if not raw.startswith(pos.last_line):
            return self._reload(locked=locked)  # the line the tail chains on changed
        raw = raw[back:]
        try:
            tail = journal.parse_records(
                self._journal_path,
                raw,
                pos.end,
                pos.last_line,
                pos.lines,
                "",
                chained=pos.format >= 2,
                settled=locked,
            )
        except DamagedFileError as exc:  # the hint lists backups: only worth it on damage
            raise exc.with_hint(backup.restore_hint(self.path)) from None
        pos.size = pos.end + len(raw)
        pos.file_id = seen
        if not tail.records:
            return False
        touched: set[str] = set()
        for rec in tail.records:
            touched |= state.apply_record(self._tables, self._meta, rec)
        pos.end, pos.lines, pos.last_line = tail.end, tail.lines, tail.last_line
        self._backend.clear_caches(touched)
        self._version += len(tail.records)
        return True

    def _reload(self, *, locked: bool) -> bool:
        old = self._jpos
        follows = None
        if not old.stale and old.last_line and self._data_id is not None:
            # Same data.json: the journal must still hold every line already read from it.
            follows = state.Follows(self._data_id, old.end, old.last_line, old.lines)
        disk = state.load(self.path, locked=locked, follows=follows)
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
            if self._batch is not None and self._tx is None:
                self._lock.acquire()  # held until the batch ends (both locks are re-entrant)
                try:
                    self._batch.tx = self._begin()
                except BaseException:
                    self._lock.release()
                    raise
            outer = self._tx
            if outer is not None:
                mark = len(outer._changes.undo)
                try:
                    yield outer
                except BaseException:
                    self._rollback(outer._changes, mark)
                    raise
                return
            tx = self._begin()
            try:
                yield tx
                tx._log_changes()
                self._commit(tx._changes)
            except BaseException:
                self._rollback(tx._changes)
                raise
            finally:
                self._end(tx)
        finally:
            self._lock.release()

    def _begin(self) -> Transaction:
        """Under the lock: catch up, check what the write builds on, open a transaction."""
        self._refresh(locked=True)
        try:
            self._prepare_journal()
        except DamagedFileError as exc:
            self._note_damage(exc)
            raise
        tx = Transaction(self)
        self._tx = tx
        self._backend.storage.changes = tx._changes
        return tx

    def _end(self, tx: Transaction) -> None:
        tx._open = False
        self._tx = None
        self._backend.storage.changes = None

    @contextmanager
    def all_or_nothing(self) -> Iterator[_Batch]:
        """Every transaction in the block joins one, written when the block ends normally.

        For a command: it either writes everything and succeeds, or fails having written
        nothing (a read that fails after a write no longer leaves the write behind). Reads
        take no lock until the first write; from then on the lock is held to the end. Call
        ``discard()`` on the result to end without writing.
        """
        with self._reading():
            if self._batch is not None or self._tx is not None:
                raise StoreError("all_or_nothing() cannot be nested or opened in a transaction")
            batch = self._batch = _Batch()
        try:
            yield batch
        except BaseException:
            self._end_batch(batch, commit=False)
            raise
        self._end_batch(batch, commit=not batch.discarded)

    def _end_batch(self, batch: _Batch, *, commit: bool) -> None:
        with self._lock.local:
            self._batch = None
            tx = batch.tx
            if tx is None:
                return
            try:
                if commit:
                    tx._log_changes()
                    self._commit(tx._changes)
                else:
                    self._rollback(tx._changes)
            except BaseException:
                self._rollback(tx._changes)
                raise
            finally:
                self._end(tx)
                self._lock.release()

    def _prepare_journal(self) -> None:
        """Under the lock: make the journal ready to append to (fresh, chained, intact end)."""
        pos = self._jpos
        if pos.inode is None or pos.stale:
            self._new_journal()
            return
        if pos.format < journal.FORMAT:
            # From an unchained journal to a chained one: records are folded into a snapshot
            # first; a journal of the header alone is simply started again.
            if pos.lines == 1:
                self._new_journal()
            else:
                self._compact_locked()
            return
        back = len(pos.last_line)
        if journal.read_at(self._journal_path, pos.end - back, back) != pos.last_line:
            # Changed in place since it was read (and its time stamp put back): read it all
            # again, which checks every line; build on it only if it is whole.
            self._reload(locked=True)
            self._prepare_journal()
        elif pos.size > pos.end:
            journal.truncate(self._journal_path, pos.end)
            pos.size = pos.end
            pos.file_id = files.stat_id(self._journal_path)

    def _new_journal(self) -> None:
        journal.create(self._journal_path, self._meta["generation"])
        st = os.stat(self._journal_path)
        head = journal.header(self._meta["generation"])
        self._jpos = JournalPos(
            st.st_ino, st.st_size, st.st_size, 1, last_line=head, file_id=files.FileId.of(st)
        )

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
        pos = self._jpos
        line = journal.encode_line({"ops": ops, **counters}, journal.checksum(pos.last_line))
        try:
            written = journal.append(self._journal_path, line, pos.end)
        except OSError as exc:
            raise StoreError(
                f"could not write to {self._journal_path} ({exc.strerror or exc}); nothing was "
                "saved — free some disk space or check the folder's permissions, then try again"
            ) from exc
        pos.end += len(line)
        pos.size = pos.end
        pos.lines += 1
        pos.last_line, pos.file_id = line, written
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
        self._new_journal()

    def _backup_locked(self, dest: Path) -> Path:
        data = snapshot.encode_backup(self._tables, self._meta)
        written = backup.write(dest, data)
        if backup.AUTO_MARK in dest.name:
            backup.rotate(self.path, keep=written)
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
            if self._daily_pending:
                self._daily_backup_on_close()
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

    def _daily_backup_on_close(self) -> None:
        """The daily backup left from open; a busy lock leaves it to the next open."""
        self._daily_pending = False
        try:
            self._lock.acquire(timeout=CLOSE_LOCK_WAIT)
        except StoreError:
            return
        try:
            self._refresh(locked=True)
            if backup.daily_due(self.path):
                self._backup_locked(backup.default_path(self.path, "daily"))
        except (OSError, StoreError) as exc:
            self.warnings.append(self._daily_failed(exc))
        finally:
            self._lock.release()

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


class _Batch:
    """What :meth:`Store.all_or_nothing` hands out: the joint transaction, once one began."""

    def __init__(self) -> None:
        self.tx: Transaction | None = None
        self.discarded = False

    def discard(self) -> None:
        """End the block without writing what its transactions changed."""
        self.discarded = True


class Transaction:
    """Changes made inside ``with store.transaction() as tx``; valid only inside the block."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._changes = ChangeLog()
        self._open = True
        self._notes: dict[str, Any] = {}

    def annotate(self, **notes: Any) -> None:
        """Add to this transaction's change-log entry (``kind="undo", undoes="CH-0007"``)."""
        self._notes.update(notes)

    def _log_changes(self) -> None:
        """The change log's document for this commit, inside the commit itself."""
        author = self._store.author
        if not author.recording:
            return
        found = changes.entries(self._changes, self._store._tables)
        if not found:
            return
        doc_id = self.new_id(changes.CHANGES)
        self.insert(
            changes.CHANGES,
            {
                "id": doc_id,
                "at": author.clock().isoformat(),
                "who": author.name,
                "origin": author.origin,
                "entries": found,
                **self._notes,
            },
        )

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
