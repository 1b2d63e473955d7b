"""Clients and their contacts: the actions the CLI and the TUI share."""

from __future__ import annotations

from typing import Any

from accmgr.domain.client import Client, Contact
from accmgr.errors import NotFoundError
from accmgr.services.workspace import Workspace


def add_client(ws: Workspace, name: str, **fields: Any) -> Client:
    """Create a client; every field is validated before anything is written."""
    fields.setdefault("owner", ws.owner)
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
