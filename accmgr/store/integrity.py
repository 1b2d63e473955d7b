"""What a database (or a backup) must hold beyond valid JSON: records the domain accepts,
ids that match their tables, and counters that are ahead of every id and number issued.

A record can pass every checksum and still be unusable (a client without a name, a deal in
stage "heaven", a revision "x"), and a backup with counters behind its records would hand out
an id or a document number a second time. ``check`` and ``restore`` both ask this module, so
what ``check`` calls healthy is exactly what ``restore`` accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from accmgr.domain.activity import Activity
from accmgr.domain.base import StoredRecord
from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Complaint, Contact
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document
from accmgr.errors import DamagedFileError, ValidationError
from accmgr.store import migrations, snapshot
from accmgr.store.snapshot import Meta, Tables

#: The domain record each table holds.
MODELS: dict[str, type[StoredRecord]] = {
    "clients": Client,
    "contacts": Contact,
    "deals": Deal,
    "activities": Activity,
    "products": Product,
    "documents": Document,
    "complaints": Complaint,
}
MAX_PROBLEMS = 20
_NUMBER = re.compile(r"(.+)-(\d+)")


def record_problem(table: str, doc_id: str, doc: Mapping[str, Any]) -> str | None:
    """Why the domain refuses this stored record ("deals record D-0001: deal.stage: …")."""
    if doc.get("id") != doc_id:
        return f"{table} record {doc_id} carries the id {doc.get('id')!r}"
    rev = doc.get("rev")
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 1:
        return f"{table} record {doc_id} has no valid revision ({rev!r})"
    model = MODELS.get(table)
    if model is None:
        return None
    try:
        model.from_dict(doc)
    except ValidationError as exc:
        return f"{table} record {doc_id}: {exc}"
    except (ValueError, RecursionError):  # too deep, too long a number: not a record either
        return f"{table} record {doc_id}: not a valid {model.__name__.lower()} record"
    return None


def _id_problems(tables: Tables, meta: Meta, prefixes: Mapping[str, str]) -> Iterator[str]:
    for table, prefix in prefixes.items():
        pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
        highest = 0
        for doc_id, doc in tables.get(table, {}).items():
            problem = record_problem(table, doc_id, doc)
            if problem is not None:
                yield problem
            match = pattern.fullmatch(doc_id)
            if match is None:
                yield f"{table} record {doc_id}: the id is not of the form {prefix}-0001"
            else:
                highest = max(highest, int(match.group(1)))
        counter = meta["ids"].get(table, 0)
        if highest > counter:
            yield (
                f"the id counter of {table} ({counter}) is behind its highest id ({highest}); "
                "ids of deleted records could be handed out again"
            )


def _number_problems(tables: Tables, meta: Meta) -> Iterator[str]:
    highest: dict[str, int] = {}
    holders: dict[tuple[str, object], str] = {}
    for doc_id, doc in tables.get("documents", {}).items():
        number = doc.get("number")
        if not isinstance(number, str) or not number:
            continue
        match = _NUMBER.fullmatch(number)
        if match is None:
            continue  # the domain check names a malformed number
        counter, n = match.group(1), int(match.group(2))
        highest[counter] = max(n, highest.get(counter, 0))
        key = (number, doc.get("version"))
        if key in holders:
            yield (
                f"documents records {holders[key]} and {doc_id} both hold {number} "
                f"version {doc.get('version')!r}"
            )
        holders[key] = doc_id
    for counter, n in sorted(highest.items()):
        value = meta["numbers"].get(counter, 0)
        if n > value:
            yield (
                f"the number counter {counter} ({value}) is behind its highest number "
                f"{counter}-{n:04d}; that number could be issued a second time"
            )


def problems(tables: Tables, meta: Meta, prefixes: Mapping[str, str]) -> list[str]:
    """Every problem with the records and counters, one line each (at most MAX_PROBLEMS)."""
    found: list[str] = []
    more = 0
    for problem in (*_id_problems(tables, meta, prefixes), *_number_problems(tables, meta)):
        if len(found) < MAX_PROBLEMS:
            found.append(problem)
        else:
            more += 1
    if more:
        found.append(f"… and {more} more record problems")
    return found


def backup_problems(source: Path, raw: bytes, prefixes: Mapping[str, str], hint: str) -> list[str]:
    """Why this backup cannot replace a database (``[]``: it can); DamagedFileError if it is
    not a readable snapshot at all."""
    tables, meta = snapshot.decode(source, raw, hint)
    known = migrations.current_version()
    if meta["schema_version"] > known:
        return [f"it was written by a newer accmgr (schema {meta['schema_version']})"]
    return problems(tables, meta, prefixes)


def usable_backup(source: Path) -> bool:
    """True when ``restore`` would accept this backup."""
    from accmgr.store.api import TABLE_PREFIXES

    try:
        raw = source.read_bytes()
        return not backup_problems(source, raw, TABLE_PREFIXES, "")
    except (DamagedFileError, OSError):
        return False
