"""Reading the change log (who changed what, when) and undoing a change from it.

The store writes one ``changes`` document per commit (see accmgr.store.changes); here it is
read back as lines a person reads, and a change is undone by putting back what each entry
says was there — refused, naming the record, when that record has changed since.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accmgr.errors import AccmgrError
from accmgr.services.ports import Doc, TransactionPort
from accmgr.services.workspace import NOUNS, Workspace

CHANGES = "changes"
TRASH = "trash"
#: What the CLI writes as its origin; each app session has its own.
CLI_ORIGIN = "cli"
#: Fields too large or too internal to show as old → new.
_SUMMARISED = {
    "stage_history",
    "calls",
    "meetings",
    "needs",
    "objections",
    "milestones",
    "referrals",
    "testimonials",
    "invitations",
    "lines",
    "records",
}


class NothingToUndo(AccmgrError):
    """No change of this origin is left to undo."""


class UndoRefused(AccmgrError):
    """A record changed after the change to undo; undoing would overwrite that."""


@dataclass(frozen=True)
class HistoryLine:
    change_id: str
    at: str
    who: str
    record_id: str
    table: str
    op: str
    #: (field, old, new) as text
    fields: tuple[tuple[str, str, str], ...]
    undone: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change_id,
            "at": self.at,
            "who": self.who,
            "record": self.record_id,
            "op": self.op,
            "fields": [{"field": f, "old": o, "new": n} for f, o, n in self.fields],
            "undone": self.undone,
        }

    def record_label(self) -> str:
        """ "deal D-0001" for an edit, "created deal D-0001" otherwise: a history row's head."""
        if self.op == "update":
            return f"{NOUNS.get(self.table, self.table)} {self.record_id}"
        return self.describe()

    def describe(self) -> str:
        noun = NOUNS.get(self.table, self.table)
        if self.op != "update":
            return f"{'created' if self.op == 'create' else 'deleted'} {noun} {self.record_id}"
        shown = "; ".join(f"{f} {o} → {n}" for f, o, n in self.fields[:3])
        more = f" (+{len(self.fields) - 3} more)" if len(self.fields) > 3 else ""
        return f"{noun} {self.record_id} {shown}{more}"


def _text(value: Any, name: str, present: bool) -> str:
    if not present:
        return "—"
    if name in _SUMMARISED and isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:59] + "…"
        return f"'{shown}'" if shown else "''"
    if value is None:
        return "none"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _fields(entry: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    pairs = entry.get("fields") or {}
    return tuple(
        (
            name.replace("_", " "),
            _text(pair.get("old"), name, "old" in pair),
            _text(pair.get("new"), name, "new" in pair),
        )
        for name, pair in pairs.items()
    )


def _ordered(ws: Workspace) -> list[Doc]:
    def number(doc: Doc) -> int:
        _, _, digits = str(doc.get("id", "")).partition("-")
        return int(digits) if digits.isdigit() else 0

    return sorted(ws.store.all(CHANGES), key=number)


def _line(change: Doc, entry: Mapping[str, Any]) -> HistoryLine:
    return HistoryLine(
        change_id=str(change["id"]),
        at=str(change.get("at", "")),
        who=str(change.get("who", "")),
        record_id=str(entry["id"]),
        table=str(entry["table"]),
        op=str(entry["op"]),
        fields=_fields(entry),
        undone=bool(change.get("undone_by")),
    )


def history(ws: Workspace, record_id: str) -> list[HistoryLine]:
    """Every change to the record, oldest first."""
    return history_for(ws, {record_id.strip().upper()})


def history_for(ws: Workspace, record_ids: Collection[str]) -> list[HistoryLine]:
    """Every change to any of the records (a client and its contacts, deals…), oldest first."""
    return [
        _line(change, entry)
        for change in _ordered(ws)
        for entry in change.get("entries", ())
        if entry.get("id") in record_ids
    ]


def describe_change(change: Mapping[str, Any]) -> str:
    """One line: what the change did ("deal D-0001 title 'A' → 'B'"; "deleted client C-0002")."""
    summary = change.get("summary")
    if isinstance(summary, str) and summary:
        return summary
    lines = [_line(change, e) for e in change.get("entries", ()) if e.get("table") not in (TRASH,)]
    if not lines:
        return f"change {change.get('id')}"
    first = lines[0].describe()
    return first if len(lines) == 1 else f"{first} and {len(lines) - 1} more records"


def last_change(ws: Workspace, origin: str) -> Doc | None:
    """The newest change from ``origin`` not undone yet (undos themselves are not undone)."""
    for change in reversed(_ordered(ws)):
        if change.get("origin") != origin or change.get("kind") == "undo":
            continue
        if change.get("undone_by"):
            continue
        return change
    return None


def _refusal(entry: Mapping[str, Any], current: Doc | None, what: str) -> UndoRefused:
    noun = NOUNS.get(str(entry["table"]), str(entry["table"]))
    if current is None:
        why = f"{noun} {entry['id']} was deleted since"
    else:
        why = f"{noun} {entry['id']} was changed since (revision {current.get('rev')})"
    return UndoRefused(f"cannot undo {what}: {why}; nothing was undone")


def _undo_entry(tx: TransactionPort, entry: Mapping[str, Any], what: str) -> None:
    table, doc_id, op = str(entry["table"]), str(entry["id"]), entry["op"]
    current = tx.get(table, doc_id)
    if op == "delete":
        if current is not None:
            noun = NOUNS.get(table, table)
            raise UndoRefused(
                f"cannot undo {what}: {noun} {doc_id} exists again; nothing was undone"
            )
        tx.insert(table, entry["before"])
        return
    if current is None or current.get("rev") != entry.get("rev"):
        raise _refusal(entry, current, what)
    if op == "create":
        tx.delete(table, doc_id, expected_rev=entry.get("rev"))
        return
    restored = dict(current)
    for name, pair in (entry.get("fields") or {}).items():
        if "old" in pair:
            restored[name] = pair["old"]
        else:
            restored.pop(name, None)
    tx.update(table, doc_id, restored, expected_rev=entry.get("rev"))


def undo_change(ws: Workspace, change: Mapping[str, Any]) -> str:
    """Put back what ``change`` changed, in one transaction; returns what was undone."""
    what = describe_change(change)
    entries: Sequence[Mapping[str, Any]] = change.get("entries", ())
    with ws.store.transaction() as tx:
        for entry in reversed(entries):
            _undo_entry(tx, entry, what)
        marked = dict(tx.get(CHANGES, str(change["id"])) or change)
        marked["undone_by"] = ws.store.author.origin or "?"
        marked["undone_at"] = ws.now().isoformat()
        tx.update(CHANGES, str(change["id"]), marked, expected_rev=None)
        tx.annotate(kind="undo", undoes=str(change["id"]), summary=f"undid: {what}")
    return what


def undo_last(ws: Workspace, origin: str) -> str:
    """Undo the newest change from ``origin``; NothingToUndo when none is left."""
    change = last_change(ws, origin)
    if change is None:
        where = "the command line" if origin == CLI_ORIGIN else "this session"
        raise NothingToUndo(f"nothing to undo: no change from {where} is left to undo")
    return undo_change(ws, change)
