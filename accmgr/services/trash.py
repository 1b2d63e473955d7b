"""Deleting to the trash, and restoring from it.

A deleted record is never gone: it moves, with what is deleted along with it (a client's
contacts, deals, activities…), into one ``trash`` document, in the same transaction as the
deletion. ``restore`` puts all of it back, refusing when a record would clash. An issued
document is never deleted: it is the company's word to a client and its number stays taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accmgr.errors import AccmgrError, NotFoundError
from accmgr.services.history import TRASH
from accmgr.services.ports import Doc, TransactionPort
from accmgr.services.workspace import NOUNS, Workspace

#: Which table an id belongs to, by its prefix (the store's ids: "D-0001", "PR-0003").
PREFIXES = {
    "C": "clients",
    "P": "contacts",
    "D": "deals",
    "A": "activities",
    "PR": "products",
    "DOC": "documents",
    "K": "complaints",
}
#: The field naming each table's record in messages.
_LABEL_FIELDS = {
    "clients": "name",
    "contacts": "name",
    "deals": "title",
    "products": "name",
    "complaints": "what",
    "activities": "kind",
    "documents": "number",
}


class DeleteRefused(AccmgrError):
    """The record cannot (or not without being asked) go to the trash."""


@dataclass(frozen=True)
class DeletePlan:
    """What deleting a record takes with it; shown before asking the user."""

    table: str
    record: Doc
    along: tuple[tuple[str, Doc], ...]

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for table, _ in self.along:
            found[table] = found.get(table, 0) + 1
        return found

    def describe_along(self) -> str:
        """ "3 deals, 2 contacts and 5 activities" (empty when nothing goes along)."""
        parts = [f"{n} {_plural(table, n)}" for table, n in self.counts().items()]
        if len(parts) > 1:
            return ", ".join(parts[:-1]) + " and " + parts[-1]
        return parts[0] if parts else ""


@dataclass(frozen=True)
class TrashItem:
    id: str
    record_id: str
    table: str
    label: str
    at: str
    who: str
    along: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "record": self.record_id,
            "table": self.table,
            "label": self.label,
            "deleted_at": self.at,
            "deleted_by": self.who,
            "along": self.along,
        }


def _plural(table: str, n: int) -> str:
    noun = NOUNS.get(table, table)
    if n == 1:
        return noun
    return "activities" if noun == "activity" else noun + "s"


def table_of(record_id: str) -> str:
    prefix, _, digits = record_id.partition("-")
    table = PREFIXES.get(prefix)
    if table is None or not digits.isdigit():
        raise NotFoundError(f"{record_id} is not the id of a record that can be deleted")
    return table


def label(table: str, doc: Mapping[str, Any]) -> str:
    """ "deal D-0001 'Fleet renewal'"."""
    name = doc.get(_LABEL_FIELDS.get(table, ""), "")
    shown = f" '{name}'" if isinstance(name, str) and name else ""
    return f"{NOUNS.get(table, table)} {doc.get('id')}{shown}"


def _issued(doc: Mapping[str, Any]) -> bool:
    return doc.get("status") != "draft"


def _refuse_issued(docs: list[Doc], whose: str) -> None:
    issued = [d for d in docs if _issued(d)]
    if issued:
        numbers = ", ".join(str(d.get("number") or d.get("id")) for d in issued[:5])
        more = f" and {len(issued) - 5} more" if len(issued) > 5 else ""
        raise DeleteRefused(
            f"{whose} holds issued documents ({numbers}{more}); an issued document is never "
            "deleted and its number is never reused — withdraw or reject it instead, or mark "
            "the deal lost"
        )


def _deal_along(tx: TransactionPort, deal_id: str) -> list[tuple[str, Doc]]:
    along: list[tuple[str, Doc]] = [
        ("activities", a) for a in tx.find("activities", deal_id=deal_id)
    ]
    docs = tx.find("documents", deal_id=deal_id)
    _refuse_issued(docs, f"deal {deal_id}")
    along += [("documents", d) for d in docs]
    along += [("complaints", c) for c in tx.find("complaints", deal_id=deal_id)]
    return along


def plan_delete(tx: TransactionPort, record_id: str, *, with_deals: bool) -> DeletePlan:
    """What deleting ``record_id`` would take along; DeleteRefused when it may not go."""
    record_id = record_id.strip().upper()
    table = table_of(record_id)
    doc = tx.get(table, record_id)
    if doc is None:
        raise NotFoundError(f"{NOUNS[table]} {record_id} does not exist")
    along: list[tuple[str, Doc]] = []
    if table == "documents":
        _refuse_issued([doc], f"document {record_id}")
    elif table == "deals":
        along = _deal_along(tx, record_id)
    elif table == "clients":
        deals = tx.find("deals", client_id=record_id)
        if deals and not with_deals:
            raise DeleteRefused(
                f"client {record_id} has {len(deals)} {_plural('deals', len(deals))}; "
                "deleting the client deletes them too — confirm with --with-deals"
            )
        _refuse_issued(tx.find("documents", client_id=record_id), f"client {record_id}")
        along += [("contacts", c) for c in tx.find("contacts", client_id=record_id)]
        along += [("deals", d) for d in deals]
        for deal in deals:
            along += _deal_along(tx, str(deal["id"]))
        seen = {str(d["id"]) for _, d in along}
        for table_along in ("activities", "complaints", "documents"):
            along += [
                (table_along, d)
                for d in tx.find(table_along, client_id=record_id)
                if str(d["id"]) not in seen
            ]
    return DeletePlan(table, doc, tuple(along))


def preview_delete(ws: Workspace, record_id: str, *, with_deals: bool = True) -> DeletePlan:
    """What a delete would take along, for the confirmation (nothing is written)."""
    with ws.store.transaction() as tx:
        return plan_delete(tx, record_id, with_deals=with_deals)


def delete(ws: Workspace, record_id: str, *, with_deals: bool = False) -> TrashItem:
    """Move the record, and what goes with it, to the trash in one transaction."""
    with ws.store.transaction() as tx:
        plan = plan_delete(tx, record_id, with_deals=with_deals)
        records = [(plan.table, plan.record), *plan.along]
        trash_id = tx.new_id(TRASH)
        what = label(plan.table, plan.record)
        doc = {
            "id": trash_id,
            "record": plan.record["id"],
            "table": plan.table,
            "label": what,
            "deleted_at": ws.now().isoformat(),
            "deleted_by": ws.owner,
            "records": [{"table": t, "doc": dict(d)} for t, d in records],
        }
        stored = tx.insert(TRASH, doc)
        for table, record in records:
            tx.delete(table, str(record["id"]))
        along = plan.describe_along()
        tx.annotate(summary=f"deleted {what}" + (f" with {along}" if along else ""))
    return _item(stored)


def _item(doc: Mapping[str, Any]) -> TrashItem:
    along: dict[str, int] = {}
    for held in doc.get("records", ())[1:]:
        along[held["table"]] = along.get(held["table"], 0) + 1
    return TrashItem(
        id=str(doc["id"]),
        record_id=str(doc.get("record", "")),
        table=str(doc.get("table", "")),
        label=str(doc.get("label", "")),
        at=str(doc.get("deleted_at", "")),
        who=str(doc.get("deleted_by", "")),
        along=along,
    )


def trash_list(ws: Workspace) -> list[TrashItem]:
    """What waits in the trash, newest first."""
    items = [_item(d) for d in ws.store.all(TRASH)]
    return sorted(items, key=lambda i: (i.at, i.id), reverse=True)


def _find_entry(ws: Workspace, wanted: str) -> Doc:
    direct = ws.store.get(TRASH, wanted)
    if direct is not None:
        return direct
    holding = [d for d in ws.store.all(TRASH) if d.get("record") == wanted]
    if not holding:
        raise NotFoundError(f"{wanted} is not in the trash (see accmgr trash list)")
    return max(holding, key=lambda d: str(d.get("deleted_at", "")))


def restore(ws: Workspace, trash_or_record_id: str) -> TrashItem:
    """Put back a trash entry's records (by its id or its main record's id), all or none."""
    wanted = trash_or_record_id.strip().upper()
    entry = _find_entry(ws, wanted)
    item = _item(entry)
    with ws.store.transaction() as tx:
        held = [(str(r["table"]), r["doc"]) for r in entry.get("records", ())]
        present = {str(d["id"]) for _, d in held}
        for table, doc in held:
            if tx.get(table, str(doc["id"])) is not None:
                raise DeleteRefused(
                    f"cannot restore {item.label}: {NOUNS.get(table, table)} {doc['id']} "
                    "exists already; nothing was restored"
                )
            for link, parent_table in (("client_id", "clients"), ("deal_id", "deals")):
                parent = doc.get(link)
                if (
                    isinstance(parent, str)
                    and parent not in present
                    and tx.get(parent_table, parent) is None
                ):
                    raise DeleteRefused(
                        f"cannot restore {item.label}: its {NOUNS[parent_table]} {parent} is "
                        f"gone — restore {parent} first; nothing was restored"
                    )
        for table, doc in held:
            tx.insert(table, doc)
        tx.delete(TRASH, item.id)
        tx.annotate(summary=f"restored {item.label} from the trash")
    return item
