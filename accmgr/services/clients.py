"""Clients and their contacts: the actions the CLI and the TUI share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import cached_property
from typing import Any

from accmgr.domain.client import Client, Contact
from accmgr.domain.exchange import Total
from accmgr.domain.search import search_key
from accmgr.errors import AccmgrError, NotFoundError
from accmgr.services.workspace import Workspace


def add_client(ws: Workspace, name: str, **fields: Any) -> Client:
    """Create a client; every field is validated before anything is written."""
    fields.setdefault("owner", ws.owner)
    country = fields.get("country")
    if isinstance(country, str) and country.strip():
        from accmgr.domain.country_defaults import default_currency, default_language

        # Checked first, so a bad country is named as such, not as a missing currency.
        code = Client(id="C-0000", name=name, created_at=ws.now(), country=country).country
        assert code is not None
        fields.setdefault("language", default_language(code))
        fields.setdefault("currency", default_currency(code))
    with ws.store.transaction() as tx:
        client = Client(id=tx.new_id("clients"), name=name, created_at=ws.now(), **fields)
        stored = tx.insert("clients", client.to_dict())
    return Client.from_dict(stored)


def get_client(ws: Workspace, client_id: str) -> Client:
    return ws.load("clients", Client, client_id)


def list_clients(ws: Workspace) -> list[Client]:
    return sorted(ws.load_all("clients", Client), key=lambda c: (c.name.casefold(), c.id))


def contacts_of(ws: Workspace, client_id: str) -> list[Contact]:
    docs = ws.store.find("contacts", client_id=client_id)
    return sorted((Contact.from_dict(d) for d in docs), key=lambda c: c.id)


def add_contact(ws: Workspace, client_id: str, name: str, **fields: Any) -> Contact:
    with ws.store.transaction() as tx:
        if tx.get("clients", client_id) is None:
            raise NotFoundError(f"client {client_id} does not exist")
        contact = Contact(id=tx.new_id("contacts"), client_id=client_id, name=name, **fields)
        stored = tx.insert("contacts", contact.to_dict())
    return Contact.from_dict(stored)


def edit_contact(
    ws: Workspace, contact_id: str, *, expected_rev: int | None = None, **fields: Any
) -> Contact:
    """Change a contact's fields (not its client); every field is validated before writing."""
    from accmgr.services.edits import edit_contact as edit

    return edit(ws, contact_id, fields, expected_rev=expected_rev).record


# --- the clients list ------------------------------------------------------------------------

# Kinds of done activity that count as a contact with the client (as in the Today list).
CONTACT_KINDS = frozenset({"call", "meeting", "email", "visit", "presentation"})


@dataclass(frozen=True)
class ClientRow:
    """One line of the clients list, computed from raw records in one pass."""

    id: str
    name: str
    legal_name: str
    tax_id: str
    segment: str
    tier: str
    country: str
    owner: str
    tags: tuple[str, ...]
    currency: str
    last_contact: date | None
    open_deals: int
    # Open deal value per currency: deals may be priced in several.
    open_value: tuple[tuple[str, Decimal], ...]
    warnings: tuple[str, ...]
    # The open deals in the reporting currency (their count per currency is in its parts).
    open_total: Total | None = None

    @cached_property
    def haystack(self) -> str:
        """What filter-as-you-type looks in, folded once (domain/search.py)."""
        parts = (self.id, self.name, self.legal_name, self.tax_id, self.country, self.owner)
        return search_key(*parts, *self.tags)


def _moment_day(text: object, zone: tzinfo | None) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        if len(text) > 10:
            return datetime.fromisoformat(text).astimezone(zone).date()
        return date.fromisoformat(text)
    except ValueError:
        return None


def _latest(found: dict[str, date], client_id: str, day: date | None) -> None:
    if day is not None and (client_id not in found or found[client_id] < day):
        found[client_id] = day


def client_rows(ws: Workspace) -> list[ClientRow]:
    """Every client with its last contact, open deals and warnings, sorted by name.

    Works on the raw documents: building a full Deal for each of 5,000 deals to add up
    values and find the latest call would cost far more than the list is worth."""
    from accmgr.services.conversion import Reporting, reporting
    from accmgr.services.reliability import warnings_by_client

    try:
        at: Reporting | None = reporting(ws)
    except AccmgrError:  # a damaged rates record: the list shows amounts per currency
        at = None
    zone = ws.tz
    store = ws.store
    warnings = warnings_by_client(ws)
    last: dict[str, date] = {}
    values: dict[str, dict[str, Decimal]] = {}
    counts: dict[str, int] = {}
    amounts: dict[str, list[tuple[Decimal, str]]] = {}
    for doc in store.all("activities"):
        if doc.get("kind") in CONTACT_KINDS:
            _latest(last, str(doc.get("client_id")), _moment_day(doc.get("done_at"), zone))
    for doc in store.all("deals"):
        client_id = str(doc.get("client_id"))
        for call in doc.get("calls") or ():
            _latest(last, client_id, _moment_day(call.get("at"), zone))
        for meeting in doc.get("meetings") or ():
            if meeting.get("held"):
                _latest(last, client_id, _moment_day(meeting.get("planned_at"), zone))
        if doc.get("outcome") is None and not doc.get("completed_on"):
            counts[client_id] = counts.get(client_id, 0) + 1
            by_currency = values.setdefault(client_id, {})
            currency = str(doc.get("currency", "EUR"))
            value = Decimal(str(doc.get("value", "0")))
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + value
            amounts.setdefault(client_id, []).append((value, currency))
    rows = []
    for doc in store.all("clients"):
        cid = str(doc["id"])
        rows.append(
            ClientRow(
                id=cid,
                name=str(doc["name"]),
                legal_name=str(doc.get("legal_name", "")),
                tax_id=str(doc.get("tax_id", "")),
                segment=str(doc.get("segment", "")),
                tier=str(doc.get("tier", "regular")),
                country=str(doc.get("country") or ""),
                owner=str(doc.get("owner", "")),
                tags=tuple(doc.get("tags") or ()),
                currency=str(doc.get("currency", "EUR")),
                last_contact=last.get(cid),
                open_deals=counts.get(cid, 0),
                open_value=tuple(sorted(values.get(cid, {}).items())),
                warnings=tuple(warnings.get(cid, ())),
                open_total=at.total(amounts[cid]) if at and cid in amounts else None,
            )
        )
    return sorted(rows, key=lambda r: (r.name.casefold(), r.id))
