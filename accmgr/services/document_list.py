"""The documents as the Documents section lists them, and what the document screen shows.

One read of the store gives every row: the client's name and the deal's title are joined
here, once, so that the screen filters over plain text without touching the store again.
The status is the one as of today (a sent offer past its validity reads *expired*).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from accmgr.domain.document import Document, DocumentKind, DocumentStatus
from accmgr.domain.search import search_key
from accmgr.services.documents import resolve, versions_of, view
from accmgr.services.workspace import Workspace


@dataclass(frozen=True)
class DocumentRow:
    id: str
    number: str
    version: int
    kind: DocumentKind
    client: str
    deal: str
    status: DocumentStatus
    issued_on: date | None
    valid_until: date | None
    total: str
    currency: str

    @property
    def ref(self) -> str:
        return f"{self.number}@{self.version}" if self.number else self.id

    @cached_property
    def haystack(self) -> str:
        """What the filter searches, folded once (domain/search.py)."""
        return search_key(
            self.id, self.number, self.kind.value, self.client, self.deal, self.status.value
        )


def _total(doc: Document) -> str:
    # An issued document prints its frozen total; a draft's is worked out as of now.
    frozen = doc.snapshot.get("totals", {}).get("total") if doc.snapshot else None
    if frozen is not None:
        return str(frozen)
    return str(doc.totals().total)


def document_rows(ws: Workspace) -> list[DocumentRow]:
    """Every document, newest number first, drafts without a number last."""
    store = ws.store
    clients = {c["id"]: str(c.get("name", c["id"])) for c in store.all("clients")}
    deals = {d["id"]: str(d.get("title", d["id"])) for d in store.all("deals")}
    today = ws.today()
    rows = []
    for raw in store.all("documents"):
        doc = Document.from_dict(raw)
        rows.append(
            DocumentRow(
                id=doc.id,
                number=doc.number,
                version=doc.version,
                kind=doc.kind,
                client=clients.get(doc.client_id, doc.client_id),
                deal=deals.get(doc.deal_id, doc.deal_id) if doc.deal_id else "",
                status=doc.status_on(today),
                issued_on=doc.issued_on,
                valid_until=doc.valid_until,
                total=_total(doc),
                currency=doc.currency,
            )
        )
    # Issued ones first, newest first; drafts (no number yet) after them.
    rows.sort(
        key=lambda r: (bool(r.number), r.issued_on or date.min, r.number, r.version, r.id),
        reverse=True,
    )
    return rows


@dataclass(frozen=True)
class DocumentDetail:
    """What the document screen shows and which of its actions make sense now."""

    document: Document
    data: Mapping[str, Any]
    client: str
    deal: str
    previous_id: str | None
    contract_number: str | None
    is_latest: bool

    @property
    def status(self) -> DocumentStatus:
        return DocumentStatus(self.data["status"])


def document_detail(ws: Workspace, document_id: str) -> DocumentDetail:
    """The document, ``view``'s figures, its parties' names, its previous version and the
    contract made from it, if any."""
    store = ws.store
    doc = resolve(store, document_id)
    client = store.get("clients", doc.client_id)
    deal = store.get("deals", doc.deal_id) if doc.deal_id else None
    previous_id: str | None = doc.supersedes
    is_latest = True
    if doc.number:
        versions = versions_of(store, doc.number)
        earlier = [v for v in versions if v.version < doc.version]
        if previous_id is None and earlier:
            previous_id = earlier[-1].id
        is_latest = versions[-1].id == doc.id
    contracts = store.find("documents", offer_id=doc.id) if doc.kind is DocumentKind.OFFER else []
    return DocumentDetail(
        document=doc,
        data=view(ws, doc),
        client=str(client["name"]) if client else doc.client_id,
        deal=str(deal["title"]) if deal else "",
        previous_id=previous_id,
        contract_number=str(contracts[0]["number"]) if contracts else None,
        is_latest=is_latest,
    )


def missing_company_fields(profile: Mapping[str, str]) -> list[str]:
    """The company profile's fields a printed document needs and that are still empty."""
    labels = {"name": "company name", "address": "address", "tax_id": "tax id", "bank": "bank"}
    return [label for key, label in labels.items() if not profile.get(key, "").strip()]
