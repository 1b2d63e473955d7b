"""The change log: what every committed transaction did, written in that same transaction.

Every write reaches the disk through :meth:`Store._commit`, so the log is taken there, from
the transaction's own record of what it touched: one ``changes`` document per commit, one
entry per record (created, deleted with its whole former self, or its fields old → new).
Being part of the same journal line, the log is never out of step with the records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from accmgr.store.tinydb_backend import MISSING, ChangeLog

#: The log's own table: its documents are not logged again.
CHANGES = "changes"
#: Where deleted records wait; logged like any other table, so an undo empties it again.
TRASH = "trash"


@dataclass
class Author:
    """Who writes through a store, from where, and by which clock."""

    name: str = ""
    #: "cli", or one id per app session, so each undoes only its own changes.
    origin: str = ""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    #: False while bulk-writing demo data, which nobody wants to undo record by record.
    recording: bool = True

    def use_clock(self, clock: Callable[[], datetime]) -> None:
        """The moments the log records come from this clock (the workspace's)."""
        self.clock = clock


def _field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: {"old": …, "new": …}}``; a side without the field has no key."""
    fields: dict[str, Any] = {}
    for name in (*before, *(k for k in after if k not in before)):
        if name == "rev":
            continue
        old, new = before.get(name, MISSING), after.get(name, MISSING)
        if old == new:
            continue
        pair: dict[str, Any] = {}
        if old is not MISSING:
            pair["old"] = old
        if new is not MISSING:
            pair["new"] = new
        fields[name] = pair
    return fields


def entries(changes: ChangeLog, tables: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per record the transaction changed (counters and the log itself left out)."""
    found: list[dict[str, Any]] = []
    for (space, key), original in changes.first.items():
        if space.startswith("#") or space == CHANGES:
            continue
        current = tables.get(space, {}).get(key, MISSING)
        if current is original:
            continue
        if original is MISSING and current is MISSING:
            continue
        if original is MISSING:
            found.append({"table": space, "id": key, "op": "create", "rev": current["rev"]})
        elif current is MISSING:
            found.append({"table": space, "id": key, "op": "delete", "before": original})
        else:
            fields = _field_changes(original, current)
            if fields:
                found.append(
                    {
                        "table": space,
                        "id": key,
                        "op": "update",
                        "rev": current["rev"],
                        "fields": fields,
                    }
                )
    return found
