"""Issuing: numbers, snapshots, versions, the client's decision, and contracts.

Issuing freezes a document: a number from a counter per kind and year that never goes back
(``OFR-2026-0001``), the issue date, the validity, status *sent*, and a snapshot of what is
printed. Changing an issued offer means ``revise``: a new draft with the same number and the
next version, which supersedes the previous version when it is issued in turn.

A contract is made from an accepted offer and issued at once: everything in it comes from
that offer (lines, prices, terms) plus a subject, delivery terms and the signatories, so
there is no draft stage to edit. A second contract from the same offer is refused.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from accmgr.domain.client import Client
from accmgr.domain.document import Document, DocumentKind, DocumentStatus
from accmgr.domain.money import check_printable
from accmgr.errors import NotFoundError, ValidationError
from accmgr.services.documents import (
    DocumentRefused,
    frozen_refusal,
    resolve,
    snapshot_of,
    versions_of,
)
from accmgr.services.ports import TransactionPort
from accmgr.services.reliability import check_step
from accmgr.services.workspace import Workspace


def _with_override(doc: Document, override: dict[str, object] | None) -> Document:
    if override is None:
        return doc
    return doc.evolve(overrides=(*doc.overrides, override))


def issue(ws: Workspace, ref: str, *, despite: str | None = None) -> Document:
    """Freeze a draft offer: number, dates, status sent, snapshot; supersede its previous
    version. The number comes from a counter per kind and year that never goes back.
    A client with a *stop* reliability warning needs ``despite``, the reason, kept on it."""
    today = ws.today()
    with ws.store.transaction() as tx:
        doc = resolve(tx, ref)
        if not doc.is_draft:
            raise frozen_refusal(doc)
        if doc.kind is not DocumentKind.OFFER:
            raise DocumentRefused(f"{doc.ref} is a {doc.kind.value}; only offers are issued here")
        if not doc.lines:
            raise DocumentRefused(f"{doc.ref} has no lines; add a line from the catalog first")
        valid_until = doc.valid_until or today + relativedelta(days=ws.settings.offer_validity_days)
        if valid_until < today:
            raise ValidationError(
                "valid_until", f"expected today or later, got {valid_until.isoformat()}"
            )
        check_printable(doc.totals())
        previous = _previous_version(tx, doc, today)
        number = doc.number or next_number(tx, DocumentKind.OFFER, today)
        issued = doc.evolve(
            number=number, issued_on=today, valid_until=valid_until, status=DocumentStatus.SENT
        )
        issued = issued.evolve(snapshot=snapshot_of(ws, issued, tx))
        # Named as the user knows it still (the draft's id, or its number for a new version):
        # refused, the number is not taken.
        named = {**issued.to_dict(), "number": doc.number}
        override = check_step(ws, tx, "issue", named, despite)
        issued = _with_override(issued, override)
        stored = tx.update("documents", doc.id, issued.to_dict(), expected_rev=doc.rev)
        if previous is not None:
            gone = previous.evolve(status=DocumentStatus.SUPERSEDED)
            tx.update("documents", previous.id, gone.to_dict(), expected_rev=previous.rev)
    return Document.from_dict(stored)


def next_number(tx: TransactionPort, kind: DocumentKind, today: date) -> str:
    counter = f"{kind.prefix}-{today.year}"
    return f"{counter}-{tx.next_number(counter):04d}"


_REVISABLE = (DocumentStatus.SENT, DocumentStatus.EXPIRED, DocumentStatus.REJECTED)


def _previous_version(tx: TransactionPort, doc: Document, today: date) -> Document | None:
    if doc.supersedes is None:
        return None
    found = tx.get("documents", doc.supersedes)
    if found is None:
        return None  # deleted since: nothing left to supersede
    previous = Document.from_dict(found)
    status = previous.status_on(today)
    if status not in _REVISABLE:
        raise DocumentRefused(
            f"{previous.ref} is {status.value}; {doc.ref} can no longer replace it"
        )
    return previous


def revise(ws: Workspace, ref: str) -> Document:
    """A new draft version of an issued offer: same number, next version, same lines."""
    today = ws.today()
    with ws.store.transaction() as tx:
        doc = resolve(tx, ref, issued_only=True)
        if doc.is_draft:
            raise DocumentRefused(f"{doc.ref} is a draft; change it directly")
        if doc.kind is not DocumentKind.OFFER:
            raise DocumentRefused(f"{doc.ref} is a {doc.kind.value}; only offers have versions")
        latest = versions_of(tx, doc.number)[-1]
        if latest.is_draft:
            raise DocumentRefused(
                f"{doc.number} already has a draft version {latest.version} ({latest.id}); "
                "change that one"
            )
        if latest.id != doc.id:
            raise DocumentRefused(f"{doc.ref} is not the latest version; revise {latest.ref}")
        status = doc.status_on(today)
        if status not in _REVISABLE:
            raise DocumentRefused(f"{doc.ref} is {status.value}; it cannot be revised")
        draft = doc.evolve(
            id=tx.new_id("documents"),
            rev=0,
            version=doc.version + 1,
            status=DocumentStatus.DRAFT,
            issued_on=None,
            valid_until=None,
            snapshot={},
            supersedes=doc.id,
            pdf_path="",
            pdf_sha256="",
            decided_on=None,
        )
        stored = tx.insert("documents", draft.to_dict())
    return Document.from_dict(stored)


def _decide(
    ws: Workspace, ref: str, outcome: DocumentStatus, despite: str | None = None
) -> Document:
    today = ws.today()
    with ws.store.transaction() as tx:
        doc = resolve(tx, ref, issued_only=True)
        if doc.kind is not DocumentKind.OFFER:
            raise DocumentRefused(f"{doc.ref} is a {doc.kind.value}; only offers are accepted")
        status = doc.status_on(today)
        if status is DocumentStatus.DRAFT:
            raise DocumentRefused(f"{doc.ref} is a draft; issue it first")
        if status is DocumentStatus.EXPIRED and outcome is DocumentStatus.ACCEPTED:
            raise DocumentRefused(
                f"{doc.ref} expired on {doc.valid_until}; make a new version of it (revise) "
                "and issue that"
            )
        if status not in (DocumentStatus.SENT, DocumentStatus.EXPIRED):
            raise DocumentRefused(f"{doc.ref} is already {status.value}")
        decided = doc.evolve(status=outcome, decided_on=today)
        if outcome is DocumentStatus.ACCEPTED:
            decided = _with_override(
                decided, check_step(ws, tx, "accept", decided.to_dict(), despite)
            )
        stored = tx.update("documents", doc.id, decided.to_dict(), expected_rev=doc.rev)
    return Document.from_dict(stored)


def accept(ws: Workspace, ref: str, *, despite: str | None = None) -> Document:
    """The client accepted; a *stop* warning needs ``despite``, the reason, kept on it."""
    return _decide(ws, ref, DocumentStatus.ACCEPTED, despite)


def reject(ws: Workspace, ref: str) -> Document:
    return _decide(ws, ref, DocumentStatus.REJECTED)


def contract_from_offer(
    ws: Workspace,
    ref: str,
    *,
    subject: str = "",
    delivery_terms: str = "",
    our_signatory: str | None = None,
    their_signatory: str | None = None,
    despite: str | None = None,
) -> Document:
    """An issued contract (CTR-YYYY-NNNN) from an accepted offer, with the offer's prices.
    A *stop* warning needs ``despite``, the reason, kept on the contract."""
    today = ws.today()
    with ws.store.transaction() as tx:
        offer = resolve(tx, ref, issued_only=True)
        if offer.kind is not DocumentKind.OFFER:
            raise DocumentRefused(f"{offer.ref} is a {offer.kind.value}, not an offer")
        status = offer.status_on(today)
        if status is not DocumentStatus.ACCEPTED:
            raise DocumentRefused(
                f"{offer.ref} is {status.value}; a contract is made from an accepted offer only"
                + ("; accept it first" if status.value == "sent" else "")
            )
        for doc in tx.find("documents", offer_id=offer.id):
            raise DocumentRefused(f"{doc['number']} was already made from {offer.ref}")
        client_doc = tx.get("clients", offer.client_id)
        if client_doc is None:
            raise NotFoundError(f"client {offer.client_id} of {offer.ref} does not exist")
        client = Client.from_dict(client_doc)
        contract = Document(
            id="DOC-0000",
            kind=DocumentKind.CONTRACT,
            deal_id=offer.deal_id,
            client_id=offer.client_id,
            language=offer.language,
            currency=offer.currency,
            lines=offer.lines,
            document_discount=offer.document_discount,
            payment_terms=offer.payment_terms,
            special_terms=offer.special_terms,
            referral_clause=offer.referral_clause,
            title=offer.title,
            offer_id=offer.id,
            subject=subject.strip() or offer.title or "",
            delivery_terms=delivery_terms.strip(),
            our_signatory=(our_signatory or ws.settings.company_name).strip(),
            their_signatory=(their_signatory or client.legal_name or client.name).strip(),
            status=DocumentStatus.SENT,
            issued_on=today,
        )
        contract = contract.evolve(
            id=tx.new_id("documents"), number=next_number(tx, DocumentKind.CONTRACT, today)
        )
        contract = contract.evolve(snapshot=snapshot_of(ws, contract, tx))
        # The accepted offer is in the exposure already; the contract replaces it there.
        override = check_step(ws, tx, "contract", offer.to_dict(), despite, counted=True)
        contract = _with_override(contract, override)
        stored = tx.insert("documents", contract.to_dict())
    return Document.from_dict(stored)
