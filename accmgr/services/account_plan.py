"""A key client's account plan: objectives, SWOT, and the whitespace in its catalog coverage.

Whitespace is computed, not kept: it changes every time an offer is sent or a product is
added to the catalog, and a stored list would go stale without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from accmgr.domain.catalog import Product, code_key
from accmgr.domain.client import AccountPlan, Client
from accmgr.domain.document import Document, DocumentKind, DocumentStatus
from accmgr.errors import ValidationError
from accmgr.services.reliability import change_client
from accmgr.services.workspace import Workspace

PARTS = ("objectives", "strengths", "weaknesses", "opportunities", "threats")

# A product on one of these is not bought and not on the table: the client said no, let the
# offer lapse, or a newer version replaced it (the newer version counts on its own).
_NOT_BUYING = (DocumentStatus.REJECTED, DocumentStatus.EXPIRED, DocumentStatus.SUPERSEDED)


def plan_of(client: Client) -> AccountPlan:
    return client.account_plan if client.account_plan is not None else AccountPlan()


def _items(part: str, value: Iterable[str] | str) -> tuple[str, ...]:
    lines = value.splitlines() if isinstance(value, str) else list(value)
    items = tuple(" ".join(line.split()) for line in lines)
    kept = tuple(item for item in items if item)
    for item in kept:
        if len(item) > 500:
            raise ValidationError(part, "expected one item per line, each at most 500 characters")
    return kept


def edit_plan(
    ws: Workspace,
    client_id: str,
    *,
    expected_rev: int | None = None,
    **parts: Iterable[str] | str,
) -> Client:
    """Replace the given parts of the plan (``objectives``, ``strengths``, ``weaknesses``,
    ``opportunities``, ``threats``); each is a list of items or text with one item per line.
    Parts not given stay as they are."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"expected one of {', '.join(PARTS)}")
    cleaned: dict[str, Any] = {part: _items(part, value) for part, value in parts.items()}

    def edit(client: Client) -> Client:
        return client.evolve(account_plan=plan_of(client).evolve(**cleaned))

    return change_client(ws, client_id, edit, expected_rev)


def offered_codes(documents: Iterable[Document], today: date) -> set[str]:
    """Product codes (case-folded) on the client's live offers and contracts."""
    found: set[str] = set()
    for doc in documents:
        if doc.kind not in (DocumentKind.OFFER, DocumentKind.CONTRACT):
            continue
        if doc.status_on(today) in _NOT_BUYING:
            continue
        found.update(code_key(line.product_code) for line in doc.lines if line.product_code)
    return found


def whitespace(ws: Workspace, client_id: str) -> list[Product]:
    """Active catalog products that are on none of the client's live offers or contracts."""
    client = ws.load("clients", Client, client_id)
    docs = [Document.from_dict(d) for d in ws.store.find("documents", client_id=client.id)]
    return whitespace_of(ws.load_all("products", Product), docs, ws.today())


def whitespace_of(
    products: Iterable[Product], documents: Iterable[Document], today: date
) -> list[Product]:
    """The pure computation behind :func:`whitespace` (the client screen has the records)."""
    taken = offered_codes(documents, today)
    free = [p for p in products if p.active and code_key(p.code) not in taken]
    return sorted(free, key=lambda p: (code_key(p.code), p.id))
