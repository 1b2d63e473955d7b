"""TinyDB over the in-memory state, with writes that cost O(changed records).

Stock TinyDB re-parses the JSON file on every uncached read and rewrites it whole on every
write. Here TinyDB keeps its query language and query cache, but:

- :class:`LiveStorage` hands TinyDB the in-memory ``{table: {id: doc}}`` dict itself, so a
  read never parses anything; durability is the journal's business, not the storage's.
- :class:`JournaledTable` replaces ``Table._update_table``: the updater works on the live
  table dict through :class:`_TrackedTable`, which records every touched record in the
  transaction's :class:`ChangeLog` (for the journal and for rollback) and copies a record
  before TinyDB mutates it in place — documents handed out earlier never change under their
  holder.

TinyDB internals relied on (tinydb==4.9.0, pinned by the project): ``Table._update_table(
updater)`` is the single write path of every Table method and calls ``updater(table_dict)``;
``Table._read_table()`` returns ``storage.read()[name]``; ``Table.clear_cache()``;
``Table.document_id_class`` and ``Table.document_class`` (called as ``cls(doc, doc_id)``
in search, tested with isinstance in insert, whose id it then uses);
``TinyDB.table_class``. Re-check them when upgrading TinyDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, cast

from tinydb import Query, TinyDB
from tinydb.queries import QueryInstance
from tinydb.storages import Storage
from tinydb.table import Table

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class ChangeLog:
    """Everything a transaction changed: an undo log (for rollback and savepoints) and the
    value each key had when the transaction first touched it (to build the journal record).

    A "space" is a table name, or ``#ids`` / ``#numbers`` for the counters in the metadata.
    """

    def __init__(self) -> None:
        self.undo: list[tuple[str, str, Any]] = []
        self.first: dict[tuple[str, str], Any] = {}

    def record(self, space: str, key: str, previous: Any) -> None:
        self.undo.append((space, key, previous))
        self.first.setdefault((space, key), previous)


class LiveStorage(Storage):
    """A TinyDB storage whose data is the store's in-memory dict (never a file)."""

    def __init__(self, data: Tables) -> None:
        self.data = data
        self.changes: ChangeLog | None = None  # set while a transaction is open

    def read(self) -> Tables:
        return self.data

    def write(self, data: Tables) -> None:
        # Only TinyDB.drop_table(s) would get here; the store never calls them.
        raise RuntimeError("accmgr's store writes through JournaledTable only")


class _TrackedTable(MutableMapping[str, Doc]):
    """The live table dict as TinyDB's updaters see it, recording each change."""

    def __init__(self, live: dict[str, Doc], name: str, changes: ChangeLog) -> None:
        self._live = live
        self._name = name
        self._changes = changes

    def __getitem__(self, key: str) -> Doc:
        # TinyDB's update() mutates ``table[id]`` in place: hand it a copy (copy-on-write).
        old = self._live[key]
        new = dict(old)
        self._changes.record(self._name, key, old)
        self._live[key] = new
        return new

    def __setitem__(self, key: str, value: Doc) -> None:
        self._changes.record(self._name, key, self._live.get(key, MISSING))
        self._live[key] = value

    def __delitem__(self, key: str) -> None:
        old = self._live[key]
        self._changes.record(self._name, key, old)
        del self._live[key]

    def __contains__(self, key: object) -> bool:
        return key in self._live

    def __iter__(self) -> Iterator[str]:
        return iter(self._live)

    def __len__(self) -> int:
        return len(self._live)


class _SharedDocument(dict[str, Any]):
    """TinyDB's ``document_class``: "wrapping" a stored record returns the record itself.

    Stock TinyDB copies every matching record into a ``Document``; here ``find`` returns the
    stored dicts, like ``get`` and ``all`` (shared, never mutated in place thanks to the
    copy-on-write above), so nothing TinyDB-specific reaches callers and the query cache
    holds references rather than copies. ``Table.insert`` takes the id of a new record from
    an instance, which :meth:`carrying` builds.
    """

    doc_id: str

    def __new__(cls, value: Mapping[str, Any], doc_id: str) -> Any:
        return value

    @classmethod
    def carrying(cls, value: Mapping[str, Any], doc_id: str) -> _SharedDocument:
        document = dict.__new__(cls)
        dict.update(document, value)
        document.doc_id = doc_id
        return document


# TinyDB's annotations assume int document ids; accmgr's are str ("D-0007"), which TinyDB
# supports through document_id_class. The ignores below are about that, nothing else.


class JournaledTable(Table):
    document_id_class = str  # type: ignore[assignment]
    document_class = _SharedDocument  # type: ignore[assignment]
    default_query_cache_capacity = 32

    def _update_table(  # type: ignore[override]
        self, updater: Callable[[MutableMapping[str, Doc]], None]
    ) -> None:
        storage = self._storage
        assert isinstance(storage, LiveStorage)
        if storage.changes is None:
            raise RuntimeError("writes go through Store.transaction()")
        live = storage.data.setdefault(self.name, {})
        try:
            updater(_TrackedTable(live, self.name, storage.changes))
        finally:
            self.clear_cache()


class Backend:
    """The TinyDB side of a Store: one TinyDB instance over the live dict."""

    def __init__(self, data: Tables, table_names: list[str]) -> None:
        self.storage_data = data
        self.db = _AccmgrTinyDB(storage=LiveStorage, data=data)
        self.tables: dict[str, Table] = {name: self.db.table(name) for name in table_names}

    @property
    def storage(self) -> LiveStorage:
        storage = self.db.storage
        assert isinstance(storage, LiveStorage)
        return storage

    def replace_data(self, data: Tables) -> None:
        """After a full reload: point TinyDB at the new dict and forget cached queries."""
        self.storage.data = data
        self.clear_caches()

    def clear_caches(self, names: set[str] | None = None) -> None:
        for name, table in self.tables.items():
            if names is None or name in names:
                table.clear_cache()

    def find(self, table: str, equals: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """``field == value`` for every pair; TinyDB caches the result until the table changes."""
        if not equals:
            return list(self.storage.data.get(table, {}).values())
        tests = [Query()[field] == value for field, value in equals.items()]
        query: QueryInstance = tests[0]
        for test in tests[1:]:
            query = query & test
        return cast(list[Mapping[str, Any]], self.tables[table].search(query))

    def insert(self, table: str, doc_id: str, doc: Doc) -> None:
        self.tables[table].insert(_SharedDocument.carrying(doc, doc_id))

    def replace(self, table: str, doc_id: str, doc: Doc) -> None:
        def replace_all(current: MutableMapping[str, Any]) -> None:
            current.clear()
            current.update(doc)

        self.tables[table].update(replace_all, doc_ids=[doc_id])  # type: ignore[list-item]

    def remove(self, table: str, doc_id: str) -> None:
        self.tables[table].remove(doc_ids=[doc_id])  # type: ignore[list-item]


class _AccmgrTinyDB(TinyDB):
    table_class = JournaledTable
