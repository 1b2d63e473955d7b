"""Offers: drafting, issuing, versions, decisions; and looking documents up.

A document is named three ways: its id (``DOC-0007``, any state, the only name of a draft
never issued), its number (``OFR-2026-0001``: the latest version) or a number and version
(``OFR-2026-0001@2``). Every action is one transaction: all of it or nothing.

Issuing freezes a document (status *sent*, a number, a snapshot). Changing it afterwards
means ``revise``: a new draft with the same number and the next version, which supersedes
the previous version when it is issued in turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from accmgr.domain.catalog import check_price
from accmgr.domain.client import Client
from accmgr.domain.deal import Deal
from accmgr.domain.document import (
    Document,
    DocumentKind,
    DocumentLine,
    build_snapshot,
)
from accmgr.domain.limits import QUANTITY_MAX, at_most
from accmgr.domain.money import LineInput, check_printable
from accmgr.domain.offer_diff import OfferDiff, diff_snapshots
from accmgr.errors import AccmgrError, ConflictError, NotFoundError, ValidationError
from accmgr.services.catalog import find_product
from accmgr.services.ports import StorePort, TransactionPort
from accmgr.services.workspace import Workspace

Source = StorePort | TransactionPort

_ID = re.compile(r"^DOC-\d{4,}$")
_NUMBER = re.compile(r"^((?:OFR|CTR|BRF)-\d{4}-\d{4,})(?:@(\d{1,4}))?$")
REF_HELP = (
    "a document id (DOC-0007), a number (OFR-2026-0001: its latest version) or OFR-2026-0001@2"
)

# Terms a draft offer may change with ``set_terms``.
TERMS = (
    "language",
    "currency",
    "valid_until",
    "document_discount",
    "payment_terms",
    "special_terms",
    "referral_clause",
    "title",
)


class DocumentRefused(AccmgrError):
    """An action the document's state does not allow; the message says what to do instead."""


# --- finding documents -----------------------------------------------------------------------


def versions_of(source: Source, number: str) -> list[Document]:
    docs = [Document.from_dict(d) for d in source.find("documents", number=number)]
    return sorted(docs, key=lambda d: d.version)


def resolve(source: Source, ref: str, *, issued_only: bool = False) -> Document:
    """The document ``ref`` names; with ``issued_only`` a bare number means its latest issued
    version (a draft revision in progress does not hide the version the client holds)."""
    text = ref.strip().upper()
    if _ID.match(text):
        stored = source.get("documents", text)
        if stored is None:
            raise NotFoundError(f"document {text} does not exist")
        return Document.from_dict(stored)
    match = _NUMBER.match(text)
    if match is None:
        raise ValidationError("document", f"expected {REF_HELP}, got {ref!r}")
    number, version = match.group(1), match.group(2)
    found = versions_of(source, number)
    if version is not None:
        for doc in found:
            if doc.version == int(version):
                return doc
        raise NotFoundError(f"{number} has no version {int(version)}")
    if issued_only:
        found = [d for d in found if not d.is_draft]
    if not found:
        raise NotFoundError(f"document {number} does not exist")
    return found[-1]


def get_document(ws: Workspace, ref: str) -> Document:
    return resolve(ws.store, ref)


def record_rendering(ws: Workspace, doc_id: str, path: Path, sha256: str) -> Document:
    """Store where an issued document's PDF was written and its SHA-256.

    The document's contents stay frozen; which file holds its latest rendering is not part
    of what was issued, so it may change (a re-render after a template edit)."""
    with ws.store.transaction() as tx:
        doc = resolve(tx, doc_id)
        if doc.is_draft:
            raise DocumentRefused(f"{doc.ref} is a draft; only issued documents are rendered")
        rendered = doc.evolve(pdf_path=str(path.resolve()), pdf_sha256=sha256)
        stored = tx.update("documents", doc.id, rendered.to_dict(), expected_rev=doc.rev)
    return Document.from_dict(stored)


def list_documents(
    ws: Workspace, *, kind: DocumentKind | None = None, deal_id: str | None = None
) -> list[Document]:
    equals: dict[str, Any] = {}
    if kind is not None:
        equals["kind"] = kind.value
    if deal_id is not None:
        equals["deal_id"] = deal_id.strip().upper()
    docs = [Document.from_dict(d) for d in ws.store.find("documents", **equals)]
    return sorted(docs, key=lambda d: (d.number or "~", d.version, d.id))


def company_profile(ws: Workspace) -> dict[str, str]:
    s = ws.settings
    return {
        "name": s.company_name,
        "address": s.company_address,
        "tax_id": s.company_tax_id,
        "bank": s.company_bank,
        "logo": s.company_logo,
    }


def _parties(source: Source, doc: Document) -> tuple[Client, Deal | None]:
    client_doc = source.get("clients", doc.client_id)
    if client_doc is None:
        raise NotFoundError(f"client {doc.client_id} of {doc.ref} does not exist")
    deal_doc = source.get("deals", doc.deal_id) if doc.deal_id else None
    return Client.from_dict(client_doc), Deal.from_dict(deal_doc) if deal_doc else None


def _linked_number(source: Source, doc_id: str | None) -> str | None:
    linked = source.get("documents", doc_id) if doc_id else None
    return str(linked["number"]) or None if linked else None


def snapshot_of(ws: Workspace, doc: Document, source: Source | None = None) -> dict[str, Any]:
    """The frozen snapshot of an issued document; for a draft, the one issuing it now would
    freeze (client data and figures as of now, no number or dates yet)."""
    if not doc.is_draft and doc.snapshot:
        return doc.snapshot
    src = source if source is not None else ws.store
    client, deal = _parties(src, doc)
    return build_snapshot(
        doc,
        company=company_profile(ws),
        client=client,
        deal=deal,
        supersedes=_linked_number(src, doc.supersedes),
        offer_number=_linked_number(src, doc.offer_id),
    )


def view(ws: Workspace, doc: Document) -> dict[str, Any]:
    """What ``show`` prints: the snapshot plus the document's id, refs and status as of today."""
    data = dict(snapshot_of(ws, doc))
    data.update(
        id=doc.id,
        ref=doc.ref,
        status=doc.status_on(ws.today()).value,
        deal_id=doc.deal_id,
        client_id=doc.client_id,
        title=doc.title,
        decided_on=doc.decided_on.isoformat() if doc.decided_on else None,
        pdf_path=doc.pdf_path,
        pdf_sha256=doc.pdf_sha256,
        overrides=[o.to_dict() for o in doc.overrides],
    )
    if doc.is_draft:
        # Not yet fixed: issuing sets them (valid_until defaults to issue + validity days).
        data["valid_until"] = doc.valid_until.isoformat() if doc.valid_until else None
    return data


def diff(ws: Workspace, old_ref: str, new_ref: str) -> OfferDiff:
    old, new = get_document(ws, old_ref), get_document(ws, new_ref)
    return diff_snapshots(
        snapshot_of(ws, old), snapshot_of(ws, new), old_ref=old.ref, new_ref=new.ref
    )


# --- drafting --------------------------------------------------------------------------------


def _check_validity(ws: Workspace, valid_until: date | None) -> None:
    if valid_until is not None and valid_until < ws.today():
        raise ValidationError(
            "valid_until", f"expected today or a later date, got {valid_until.isoformat()}"
        )


def new_offer(
    ws: Workspace,
    deal_id: str,
    *,
    language: str | None = None,
    currency: str | None = None,
    valid_until: date | None = None,
    document_discount: Decimal = Decimal(0),
    payment_terms: str = "",
    special_terms: str = "",
    referral_clause: bool = False,
    title: str | None = None,
) -> Document:
    """A draft offer for the deal, in the client's language and currency unless told."""
    _check_validity(ws, valid_until)
    with ws.store.transaction() as tx:
        deal_doc = tx.get("deals", deal_id.strip().upper())
        if deal_doc is None:
            raise NotFoundError(f"deal {deal_id} does not exist")
        deal = Deal.from_dict(deal_doc)
        client_doc = tx.get("clients", deal.client_id)
        if client_doc is None:
            raise NotFoundError(f"client {deal.client_id} of deal {deal.id} does not exist")
        client = Client.from_dict(client_doc)
        draft = Document(
            id="DOC-0000",
            kind=DocumentKind.OFFER,
            deal_id=deal.id,
            client_id=client.id,
            language=language or client.language,
            currency=currency or client.currency,
            valid_until=valid_until,
            document_discount=document_discount,
            payment_terms=payment_terms,
            special_terms=special_terms,
            referral_clause=referral_clause,
            title=title or deal.title,
        )
        stored = tx.insert("documents", draft.evolve(id=tx.new_id("documents")).to_dict())
    return Document.from_dict(stored)


def frozen_refusal(doc: Document) -> DocumentRefused:
    if doc.number:
        return DocumentRefused(
            f"{doc.ref} was issued on {doc.issued_on} and cannot change; make a new version "
            "of it (revise) instead"
        )
    return DocumentRefused(f"{doc.ref} is {doc.status.value} and cannot change")


def change_draft(
    ws: Workspace, ref: str, change: Callable[[Document, TransactionPort], Document]
) -> Document:
    """Read, check, change and write one draft in one transaction; issued ones are refused."""
    with ws.store.transaction() as tx:
        doc = resolve(tx, ref)
        if not doc.is_draft:
            raise frozen_refusal(doc)
        changed = change(doc, tx)
        check_printable(changed.totals())
        stored = tx.update("documents", doc.id, changed.to_dict(), expected_rev=doc.rev)
    return Document.from_dict(stored)


def add_line(
    ws: Workspace,
    ref: str,
    product_code: str,
    quantity: Decimal,
    *,
    unit_price: Decimal | None = None,
    discount: Decimal = Decimal(0),
    description: str | None = None,
) -> Document:
    """A line from the catalog; the price is the catalog's unless given."""

    def add(doc: Document, tx: TransactionPort) -> Document:
        product = find_product(tx, product_code)
        if product is None:
            raise NotFoundError(f"product {product_code} does not exist")
        if not product.active:
            raise DocumentRefused(f"product {product.code} is deactivated; it cannot be offered")
        if product.currency != doc.currency:
            raise DocumentRefused(
                f"product {product.code} is priced in {product.currency} but {doc.ref} is in "
                f"{doc.currency}; a document has one currency: pick a product priced in "
                f"{doc.currency} or start an offer in {product.currency}"
            )
        label = f"line {len(doc.lines) + 1}"
        price = product.unit_price if unit_price is None else unit_price
        check_price(price, doc.currency, f"{label}: unit price")
        at_most(quantity, QUANTITY_MAX, f"{label}: quantity", "quantity")
        LineInput(quantity, price, discount, product.tax_rate, label=label)
        line = DocumentLine(
            product_code=product.code,
            description=description or product.name,
            quantity=quantity,
            unit=product.unit,
            unit_price=price,
            discount=discount,
            tax_rate=product.tax_rate,
        )
        return doc.evolve(lines=(*doc.lines, line))

    return change_draft(ws, ref, add)


def remove_line(ws: Workspace, ref: str, position: int) -> Document:
    def remove(doc: Document, tx: TransactionPort) -> Document:
        if not 1 <= position <= len(doc.lines):
            expected = f"from 1 to {len(doc.lines)}" if doc.lines else "none: it has no lines"
            raise ValidationError("line", f"expected a line number {expected}, got {position}")
        return doc.evolve(lines=doc.lines[: position - 1] + doc.lines[position:])

    return change_draft(ws, ref, remove)


def set_terms(ws: Workspace, ref: str, **changes: Any) -> Document:
    """Change any of :data:`TERMS` on a draft."""
    unknown = sorted(set(changes) - set(TERMS))
    if unknown:
        raise ValidationError(unknown[0], f"cannot be set; terms are {', '.join(TERMS)}")
    _check_validity(ws, changes.get("valid_until"))

    def apply(doc: Document, tx: TransactionPort) -> Document:
        changed = doc.evolve(**changes)
        if changed.currency != doc.currency and doc.lines:
            raise DocumentRefused(
                f"{doc.ref} has lines in {doc.currency}; a document has one currency: remove "
                f"its lines first or start a new offer in {changed.currency}"
            )
        return changed

    return change_draft(ws, ref, apply)


def save_draft(
    ws: Workspace,
    ref: str,
    *,
    expected_rev: int,
    lines: Sequence[DocumentLine],
    **terms: Any,
) -> Document:
    """Replace a draft's lines and terms in one transaction: all of it or nothing.

    What the offer editor saves. ``expected_rev`` is the revision the editor loaded; a draft
    changed meanwhile (the CLI, another terminal) is refused rather than overwritten. Every
    line must name a catalog product priced in the document's currency at the tax rate the
    catalog gives (or the one the draft already carries for it: a rate changed in the catalog
    since does not silently change a line); a deactivated product may stay but not be added.
    """
    unknown = sorted(set(terms) - set(TERMS))
    if unknown:
        raise ValidationError(unknown[0], f"cannot be set; terms are {', '.join(TERMS)}")
    _check_validity(ws, terms.get("valid_until"))

    def apply(doc: Document, tx: TransactionPort) -> Document:
        if doc.rev != expected_rev:
            raise ConflictError(
                f"{doc.ref} was changed elsewhere since it was opened; reload it and try again"
            )
        changed = doc.evolve(**terms)
        kept = {(line.product_code, line.tax_rate) for line in doc.lines}
        for position, line in enumerate(lines, start=1):
            _check_line(tx, changed, line, position, kept)
        changed = changed.evolve(lines=tuple(lines))
        changed.totals()  # the arithmetic's own refusals (bounds), before anything is written
        return changed

    return change_draft(ws, ref, apply)


def _check_line(
    tx: TransactionPort,
    doc: Document,
    line: DocumentLine,
    position: int,
    kept: set[tuple[str, Decimal]],
) -> None:
    label = f"line {position}"
    product = find_product(tx, line.product_code)
    if product is None:
        raise NotFoundError(f"{label}: product {line.product_code} does not exist")
    if product.currency != doc.currency:
        raise ValidationError(
            "currency",
            f"expected {product.currency}: {label} ({product.code}) is priced in "
            f"{product.currency}; a document has one currency",
        )
    already = (product.code, line.tax_rate) in kept
    if not product.active and not already:
        raise DocumentRefused(
            f"{label}: product {product.code} is deactivated; it cannot be offered"
        )
    if line.tax_rate != product.tax_rate and not already:
        raise ValidationError(
            f"{label}: tax rate",
            f"expected {product.tax_rate} % (the catalog's for {product.code}), "
            f"got {line.tax_rate}",
        )
    check_price(line.unit_price, doc.currency, f"{label}: unit price")
    at_most(line.quantity, QUANTITY_MAX, f"{label}: quantity", "quantity")
    LineInput(line.quantity, line.unit_price, line.discount, line.tax_rate, label=label)


# Settings a printed document needs: the company's name, address and tax id.
_COMPANY_FIELDS = (
    ("name", "company.name"),
    ("address", "company.address"),
    ("tax_id", "company.tax_id"),
)


def missing_company_fields(ws: Workspace) -> list[str]:
    """The company-profile settings still empty (``company.name``…), to warn before issuing:
    an offer issued now freezes the profile as it is, blanks included."""
    profile = company_profile(ws)
    return [setting for key, setting in _COMPANY_FIELDS if not profile[key].strip()]
