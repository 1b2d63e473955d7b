"""Editing a stored record field by field: the one path the CLI's ``… edit`` and the forms use.

Every change is validated by the record's own model before anything is written; the result
says which fields changed, from what to what, in the user's words. An edit made from a form
passes the record as the form loaded it (``base``): if the stored record changed meanwhile,
the fields changed on one side only are merged, and fields both sides changed differently
are refused as an :class:`EditConflict` listing theirs and mine, until the user has chosen
per field (``choices``). Nothing is ever silently overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from accmgr.domain.activity import Activity
from accmgr.domain.base import StoredRecord
from accmgr.domain.catalog import Product, check_price
from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal
from accmgr.domain.field_merge import FieldConflict, Side, merge_fields
from accmgr.errors import ConflictError, NotFoundError, ValidationError
from accmgr.services.ports import TransactionPort
from accmgr.services.workspace import NOUNS, Workspace

R = TypeVar("R", bound=StoredRecord)

CLIENT_FIELDS = (
    "name", "legal_name", "tax_id", "segment", "industry", "country", "language", "currency",
    "address", "website", "email", "phone", "tier", "owner", "tags", "lead_source", "fit_notes",
)  # fmt: skip
CONTACT_FIELDS = ("name", "title", "role", "phone", "email", "preferred_channel", "notes")
DEAL_FIELDS = (
    "title", "value", "currency", "expected_close", "probability_override", "source", "owner",
    "tags", "next_step", "next_step_due",
)  # fmt: skip
ACTIVITY_FIELDS = ("kind", "due", "done_at", "contact_ids", "note", "outcome")
PRODUCT_FIELDS = ("name", "description", "unit", "unit_price", "currency", "tax_rate", "active")

# Field names as the user reads them; the rest read well with "_" as a space.
LABELS = {
    "probability_override": "probability",
    "expected_close": "expected close",
    "next_step_due": "next step due",
    "contact_ids": "contacts",
    "done_at": "done",
    "unit_price": "price",
    "preferred_channel": "preferred channel",
    "lead_source": "lead source",
    "tax_id": "tax id",
    "legal_name": "legal name",
    "fit_notes": "fit notes",
}
# What an empty value means for a field where "none" would say too little.
_EMPTY = {"probability_override": "stage default"}


def label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def shown(field: str, value: Any) -> str:
    """A value as a change line prints it: text quoted, figures and dates plain."""
    if value is None or value == ():
        return _EMPTY.get(field, "none")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
        return f"{text} %" if field in ("probability_override", "tax_rate") else text
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(shown(field, item) for item in value)
    return f"'{value}'"


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        return f"{label(self.field)}: {shown(self.field, self.old)} → {shown(self.field, self.new)}"


@dataclass(frozen=True)
class EditResult(Generic[R]):
    record: R
    changes: tuple[Change, ...]

    def describe(self) -> list[str]:
        """One line per changed field, or "nothing changed"."""
        return [c.describe() for c in self.changes] or ["nothing changed"]


class EditConflict(ConflictError):
    """Both the user and someone else changed the same fields; nothing was written."""

    def __init__(self, record_id: str, conflicts: Sequence[FieldConflict]) -> None:
        self.record_id = record_id
        self.conflicts = tuple(conflicts)
        fields = "; ".join(
            f"{label(c.field)} (theirs {shown(c.field, c.theirs)}, yours {shown(c.field, c.mine)})"
            for c in self.conflicts
        )
        super().__init__(
            f"{record_id} was changed elsewhere while you edited it: {fields}; "
            "keep theirs or yours for each"
        )


Check = Callable[[R, R, TransactionPort], None]


def _no_check(old: Any, new: Any, tx: TransactionPort) -> None:
    return None


def edit_record(
    ws: Workspace,
    table: str,
    record_type: type[R],
    record_id: str,
    changes: Mapping[str, Any],
    *,
    editable: Sequence[str],
    base: R | None = None,
    expected_rev: int | None = None,
    choices: Mapping[str, Side] | None = None,
    check: Check[R] = _no_check,
) -> EditResult[R]:
    """Apply ``changes`` to one record in one transaction: all of it, or nothing.

    ``expected_rev`` refuses any change made meanwhile (scripts); ``base`` merges with it
    field by field instead (forms), refusing only fields both sides changed differently.
    """
    unknown = [name for name in changes if name not in editable]
    if unknown:
        raise ValidationError(
            label(unknown[0]),
            f"is not a field of a {NOUNS[table]} that can be edited; "
            f"editable: {', '.join(label(f) for f in editable)}",
        )
    with ws.store.transaction() as tx:
        doc = tx.get(table, record_id.strip().upper())
        if doc is None:
            raise NotFoundError(f"{NOUNS[table]} {record_id.strip().upper()} does not exist")
        current = record_type.from_dict(doc)
        if expected_rev is not None and current.rev != expected_rev:
            raise ConflictError(
                f"{current.id} was changed elsewhere (revision {current.rev}, you had "
                f"{expected_rev}); nothing was written — show it again and repeat the edit"
            )
        updated = _apply(current, base, changes, editable, choices or {})
        check(current, updated, tx)
        found = tuple(
            Change(name, getattr(current, name), getattr(updated, name))
            for name in editable
            if getattr(current, name) != getattr(updated, name)
        )
        if not found:
            return EditResult(current, ())
        stored = tx.update(table, current.id, updated.to_dict(), expected_rev=current.rev)
    return EditResult(record_type.from_dict(stored), found)


def _apply(
    current: R,
    base: R | None,
    changes: Mapping[str, Any],
    editable: Sequence[str],
    choices: Mapping[str, Side],
) -> R:
    if base is None or base.rev == current.rev:
        return current.evolve(**changes)
    mine = base.evolve(**changes)

    # Compared as domain values: 45000 and 45000.00 are one amount, though not one text.
    def values(record: R) -> dict[str, Any]:
        return {name: getattr(record, name) for name in editable}

    merge = merge_fields(values(base), values(current), values(mine), editable)
    unsettled = [c for c in merge.conflicts if c.field not in choices]
    if unsettled:
        raise EditConflict(current.id, unsettled)
    return current.evolve(**merge.settled(choices))


# --- one function per record -----------------------------------------------------------------


def edit_client(
    ws: Workspace, client_id: str, changes: Mapping[str, Any], **options: Any
) -> EditResult[Client]:
    return edit_record(ws, "clients", Client, client_id, changes, editable=CLIENT_FIELDS, **options)


def edit_contact(
    ws: Workspace, contact_id: str, changes: Mapping[str, Any], **options: Any
) -> EditResult[Contact]:
    return edit_record(
        ws, "contacts", Contact, contact_id, changes, editable=CONTACT_FIELDS, **options
    )


def edit_deal(
    ws: Workspace, deal_id: str, changes: Mapping[str, Any], **options: Any
) -> EditResult[Deal]:
    return edit_record(
        ws, "deals", Deal, deal_id, changes, editable=DEAL_FIELDS, check=_deal_check, **options
    )


def _deal_check(old: Deal, new: Deal, tx: TransactionPort) -> None:
    if new.value != old.value or new.currency != old.currency:
        check_price(new.value, new.currency, field="value")
    if new.next_step_due is not None and not new.next_step:
        raise ValidationError("next step", "a next step due date needs the step itself")


def edit_activity(
    ws: Workspace, activity_id: str, changes: Mapping[str, Any], **options: Any
) -> EditResult[Activity]:
    return edit_record(
        ws,
        "activities",
        Activity,
        activity_id,
        changes,
        editable=ACTIVITY_FIELDS,
        check=_activity_check,
        **options,
    )


def _activity_check(old: Activity, new: Activity, tx: TransactionPort) -> None:
    for contact_id in new.contact_ids:
        contact = tx.get("contacts", contact_id)
        if contact is None:
            raise NotFoundError(f"contact {contact_id} does not exist")
        if contact["client_id"] != new.client_id:
            raise ValidationError(
                "contacts",
                f"{contact_id} ({contact['name']}) is a contact of {contact['client_id']}, "
                f"not of {new.client_id}",
            )


def edit_product(
    ws: Workspace, code: str, changes: Mapping[str, Any], **options: Any
) -> EditResult[Product]:
    """A product is named by its code (any case), as everywhere in the catalog."""
    from accmgr.services.catalog import find_product

    product = find_product(ws.store, code)
    if product is None:
        raise NotFoundError(f"product {code} does not exist")
    return edit_record(
        ws,
        "products",
        Product,
        product.id,
        changes,
        editable=PRODUCT_FIELDS,
        check=_product_check,
        **options,
    )


def _product_check(old: Product, new: Product, tx: TransactionPort) -> None:
    check_price(new.unit_price, new.currency)
