"""``data.json``: the snapshot, in TinyDB's JSON layout plus a ``_meta`` table.

Layout::

    {"_meta": {"store": {"schema_version": 1, "generation": 3,
                         "ids": {"deals": 123}, "numbers": {"OFR-2026": 7}}},
     "clients": {"C-0001": {"id": "C-0001", "rev": 2, ...}, ...},
     ...}

It is written only by compaction, migration and restore, always atomically
(:func:`accmgr.store.files.write_atomic`), so a reader sees a whole old file or a whole new
one. The same layout is used for backups, which makes a backup a valid ``data.json``.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from accmgr.errors import DamagedFileError

META_TABLE = "_meta"
META_DOC = "store"
#: Set in backups only: a file that stands alone, without a journal, so that a backup copied
#: in as data.json opens. A data.json accmgr keeps always has a journal beside it, and a
#: missing one is damage.
STANDALONE = "standalone"

Tables = dict[str, dict[str, dict[str, Any]]]
Meta = dict[str, Any]


def new_meta(schema_version: int, generation: int = 0) -> Meta:
    return {"schema_version": schema_version, "generation": generation, "ids": {}, "numbers": {}}


def loads(text: str | bytes) -> Any:
    """``json.loads`` for files anyone could have edited: nesting too deep for the parser is
    a ValueError like any other bad JSON (as is a number too long to convert), never a
    RecursionError that would end the program."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("brackets nested far deeper than any record accmgr writes") from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # int() refusing a number of more than sys.get_int_max_str_digits()
        raise ValueError("a number with thousands of digits, which accmgr never writes") from None


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or dumping one big JSON tree.

    json.loads allocates hundreds of thousands of containers and would trigger repeated full
    collections that find nothing (JSON cannot form cycles); pausing makes opening a large
    database markedly faster. Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def encode_backup(tables: Tables, meta: Meta) -> bytes:
    """A backup's bytes: a snapshot marked as standing alone (see :data:`STANDALONE`)."""
    return encode(tables, {**meta, STANDALONE: True})


def encode(tables: Tables, meta: Meta) -> bytes:
    """The snapshot's bytes (UTF-8, compact, one line: it is not meant for hand editing)."""
    doc: dict[str, Any] = {META_TABLE: {META_DOC: meta}}
    for name, table in tables.items():
        if name != META_TABLE:
            doc[name] = table
    with no_gc():
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def decode(path: Path, raw: bytes, hint: str) -> tuple[Tables, Meta]:
    """Parse and validate a snapshot; any problem is a :class:`DamagedFileError` with a position.

    ``raw`` is released by the caller only after this returns, so the text is decoded first and
    parsed from ``str`` (json would otherwise hold a decoded copy beside the bytes anyway).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DamagedFileError(path, f"byte {exc.start}", "not UTF-8 text", hint) from None
    try:
        with no_gc():
            data = loads(text)
    except json.JSONDecodeError as exc:
        position = f"line {exc.lineno}, column {exc.colno} (byte {exc.pos})"
        raise DamagedFileError(path, position, f"not valid JSON: {exc.msg}", hint) from None
    except ValueError as exc:
        raise DamagedFileError(path, "the file", f"not accmgr's data: {exc}", hint) from None
    del text
    return validate(path, data, hint)


def validate(path: Path, data: object, hint: str) -> tuple[Tables, Meta]:
    """Check the shape every other module relies on, so later code never trips on it."""

    def damaged(position: str, reason: str) -> DamagedFileError:
        return DamagedFileError(path, position, reason, hint)

    if not isinstance(data, dict):
        raise damaged("line 1", "expected a JSON object holding tables")
    meta_table = data.pop(META_TABLE, None)
    if not isinstance(meta_table, dict) or not isinstance(meta_table.get(META_DOC), dict):
        raise damaged(f"table {META_TABLE!r}", "the store's metadata record is missing")
    meta = meta_table[META_DOC]
    for key, least in (("schema_version", 1), ("generation", 0)):
        value = meta.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise damaged(f"table {META_TABLE!r}", f"{key} is missing or not a whole number")
        if value < least:  # schema 0 never existed: no migration leads from it
            raise damaged(f"table {META_TABLE!r}", f"{key} {value} was never written by accmgr")
    for key in ("ids", "numbers"):
        counters = meta.setdefault(key, {})
        if not isinstance(counters, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counters.values()
        ):
            raise damaged(f"table {META_TABLE!r}", f"the {key} counters are not whole numbers")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise damaged(f"table {name!r}", "a table must be a JSON object of records")
        for doc_id, doc in table.items():
            if type(doc) is not dict:
                raise damaged(f"record {doc_id!r} of table {name!r}", "a record must be an object")
    return data, meta
