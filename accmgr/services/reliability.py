"""A client's reliability: payments, red flags, reviews, complaints, and the warnings they raise.

The warnings are computed, never stored: a review goes stale and an invoice goes overdue at
midnight without any job rewriting the database. The rules are :mod:`accmgr.domain.reliability`;
this module gathers their facts (open complaints, the exposure from documents, the payment
terms offered) and every place a client appears (lists, board cards, the brief, the offer
editor, a deal entering Meeting or Closing) asks :func:`client_warnings` or
:func:`warnings_by_client`. Issuing, accepting and contracting ask :func:`check_step`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from accmgr.domain import reliability as rules
from accmgr.domain.client import (
    Client,
    Complaint,
    FlagCategory,
    Payment,
    PaymentFigures,
    Rating,
    RedFlag,
    ReliabilityProfile,
    Severity,
)
from accmgr.domain.reliability import Exposure, OfferedTerms, ReliabilityWarning
from accmgr.errors import AccmgrError, ConflictError, NotFoundError, ValidationError
from accmgr.services.ports import StorePort, TransactionPort
from accmgr.services.workspace import Workspace

Doc = Mapping[str, Any]
Source = StorePort | TransactionPort
SERIOUS = tuple(rules.SERIOUS_COMPLAINTS)
INDICATORS = (
    "years_in_business",
    "revenue_band",
    "credit_limit",
    "payment_terms_days",
    "rating_note",
)


class ReliabilityStop(AccmgrError):
    """A step that commits the company (issue, accept, contract) for a client with a *stop*
    warning, asked without a reason: the message names the warnings."""

    def __init__(self, step: str, ref: str, found: Sequence[ReliabilityWarning]) -> None:
        self.step = step
        self.ref = ref
        self.warnings = tuple(found)
        named = "; ".join(str(w) for w in found)
        super().__init__(f"{step} {ref} refused: {named}")


@dataclass(frozen=True)
class ClientReliability:
    client_id: str
    rating: Rating
    figures: PaymentFigures
    warnings: tuple[ReliabilityWarning, ...]
    open_flags: tuple[RedFlag, ...]
    review_age_days: int | None
    profile: ReliabilityProfile

    def to_dict(self) -> dict[str, Any]:
        profile = self.profile
        return {
            "rating": self.rating.value,
            "meaning": self.rating.meaning,
            "rating_note": profile.rating_note,
            "warnings": list(self.warnings),
            "warning_levels": [w.level.value for w in self.warnings],
            "figures": figures_dict(self.figures),
            "open_flags": [f.to_dict() for f in self.open_flags],
            "resolved_flags": sum(1 for f in profile.red_flags if not f.open),
            "reviewed_on": profile.reviewed_on.isoformat() if profile.reviewed_on else None,
            "reviewer": profile.reviewer,
            "review_age_days": self.review_age_days,
            "years_in_business": profile.years_in_business,
            "revenue_band": profile.revenue_band.value if profile.revenue_band else None,
            "credit_limit": _text(profile.credit_limit),
            "payment_terms_days": profile.payment_terms_days,
        }


def figures_dict(figures: PaymentFigures) -> dict[str, Any]:
    """The payment figures as stable JSON: decimals as text."""
    return {
        "invoices": figures.invoices,
        "paid": figures.paid,
        "average_days_late": _text(figures.average_days_late),
        "worst_days_late": figures.worst_days_late,
        "on_time_share": _text(figures.on_time_share),
        "open_overdue": {cur: str(amount) for cur, amount in figures.open_overdue.items()},
        "overdue_invoices": figures.overdue_invoices,
        "oldest_overdue_days": figures.oldest_overdue_days,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def assess(ws: Workspace, client: Client) -> ClientReliability:
    today = ws.today()
    profile = client.reliability
    age = None if profile.reviewed_on is None else (today - profile.reviewed_on).days
    return ClientReliability(
        client_id=client.id,
        rating=profile.rating,
        figures=profile.figures(today),
        warnings=tuple(client_warnings(ws, client)),
        open_flags=tuple(profile.open_flags()),
        review_age_days=age,
        profile=profile,
    )


def reliability_of(ws: Workspace, client_id: str) -> ClientReliability:
    return assess(ws, ws.load("clients", Client, client_id))


# --- the facts the rules read ----------------------------------------------------------------


def _ref(doc: Doc) -> str:
    return f"{doc['number']}@{doc.get('version', 1)}" if doc.get("number") else str(doc["id"])


def _total(doc: Doc) -> Decimal | None:
    """What an issued document is worth (its frozen total); ``None`` when unreadable."""
    totals = (doc.get("snapshot") or {}).get("totals") or {}
    try:
        return Decimal(str(totals["total"]))
    except (KeyError, InvalidOperation):
        return None


def _deal_open(source: Source, deal_id: object) -> bool:
    if not deal_id:
        return True
    deal = source.get("deals", str(deal_id))
    return deal is None or (deal.get("outcome") != "lost" and not deal.get("completed_on"))


def exposure_of(
    source: Source,
    profile: ReliabilityProfile,
    currency: str,
    documents: Sequence[Doc],
    pending: Decimal = Decimal(0),
) -> Exposure:
    """Accepted offers not yet contracted, contracts whose deal is still open (neither lost
    nor through fulfilment), and unpaid invoices, in the client's currency; amounts in other
    currencies are named apart, never added at a guessed rate."""
    committed = Decimal(0)
    uncounted: set[str] = set()
    contracted = {str(d.get("offer_id")) for d in documents if d.get("kind") == "contract"}

    def count(doc: Doc) -> None:
        nonlocal committed
        total = _total(doc)
        if total is None:
            return
        if doc.get("currency", currency) == currency:
            committed += total
        else:
            uncounted.add(str(doc.get("currency")))

    for doc in documents:
        kind, status = doc.get("kind"), doc.get("status")
        if (kind == "offer" and status == "accepted" and str(doc["id"]) not in contracted) or (
            kind == "contract" and status == "sent" and _deal_open(source, doc.get("deal_id"))
        ):
            count(doc)
    unpaid = Decimal(0)
    for payment in profile.payments:
        if payment.paid is None:
            if payment.currency == currency:
                unpaid += payment.amount
            else:
                uncounted.add(payment.currency)
    return Exposure(currency, committed, unpaid, pending, tuple(sorted(uncounted)))


def _offered_terms(documents: Sequence[Doc], today: date) -> list[OfferedTerms]:
    """Payment terms of the client's live offers (drafts, and sent ones still valid)."""
    found = []
    for doc in documents:
        if doc.get("kind") != "offer" or not doc.get("payment_terms"):
            continue
        status = doc.get("status")
        valid = str(doc.get("valid_until") or "9999-12-31")
        if status == "draft" or (status == "sent" and valid >= today.isoformat()):
            found.append(OfferedTerms(_ref(doc), str(doc["payment_terms"])))
    return found


def _warnings_from(
    ws: Workspace,
    source: Source,
    profile: ReliabilityProfile,
    currency: str,
    complaints: Sequence[Complaint],
    documents: Sequence[Doc],
    pending: Decimal = Decimal(0),
    terms: Sequence[OfferedTerms] | None = None,
) -> list[ReliabilityWarning]:
    today = ws.today()
    facts = rules.Facts(
        profile=profile,
        today=today,
        review_limit_days=ws.review_limit_days,
        complaints=complaints,
        exposure=exposure_of(source, profile, currency, documents, pending),
        terms=_offered_terms(documents, today) if terms is None else terms,
    )
    return rules.warnings(facts)


def client_warnings(
    ws: Workspace, client: Client, complaints: list[Complaint] | None = None
) -> list[ReliabilityWarning]:
    """Every warning the client raises, worst first: what must be seen first."""
    if complaints is None:
        complaints = complaints_of(ws, client.id, open_only=True)
    documents = ws.store.find("documents", client_id=client.id)
    return _warnings_from(ws, ws.store, client.reliability, client.currency, complaints, documents)


def warnings_by_client(ws: Workspace) -> dict[str, list[ReliabilityWarning]]:
    """Every client's warnings in one pass (for lists and board cards); clients without any
    are left out."""
    serious: dict[str, list[Complaint]] = {}
    for doc in ws.store.all("complaints"):
        if not doc.get("resolved_on") and doc.get("severity") in SERIOUS:
            serious.setdefault(str(doc["client_id"]), []).append(Complaint.from_dict(doc))
    documents: dict[str, list[Doc]] = {}
    for doc in ws.store.all("documents"):
        documents.setdefault(str(doc.get("client_id")), []).append(doc)
    found = {}
    for doc in ws.store.all("clients"):
        # Only the profile is validated: the warnings read nothing else of a client, and the
        # whole clients (e-mails, countries, languages…) were most of the pipeline's read.
        profile = ReliabilityProfile.from_dict(doc.get("reliability") or {})
        client_id = str(doc["id"])
        warnings = _warnings_from(
            ws,
            ws.store,
            profile,
            str(doc.get("currency") or "EUR"),
            serious.get(client_id, []),
            documents.get(client_id, []),
        )
        if warnings:
            found[client_id] = warnings
    return found


def step_warnings(
    ws: Workspace, source: Source, client_id: str, document: Doc, *, counted: bool
) -> list[ReliabilityWarning]:
    """The warnings for committing ``document`` (an offer being issued or accepted, or the
    accepted offer a contract is made from). ``counted`` says whether its total is in the
    exposure already (an accepted offer is); if not, it is added as pending."""
    client_doc = source.get("clients", client_id)
    if client_doc is None:
        raise NotFoundError(f"client {client_id} does not exist")
    client = Client.from_dict(client_doc)
    complaints = [
        Complaint.from_dict(d)
        for d in source.find("complaints", client_id=client.id)
        if not d.get("resolved_on")
    ]
    documents = [d for d in source.find("documents", client_id=client.id)]
    pending = Decimal(0)
    if not counted and document.get("currency", client.currency) == client.currency:
        pending = _total(document) or Decimal(0)
    terms = [OfferedTerms(_ref(document), str(document.get("payment_terms") or ""))]
    return _warnings_from(
        ws, source, client.reliability, client.currency, complaints, documents, pending, terms
    )


def check_step(
    ws: Workspace,
    source: Source,
    step: str,
    document: Doc,
    despite: str | None,
    *,
    counted: bool = False,
) -> dict[str, Any] | None:
    """Refuse ``step`` (issue / accept / contract) while a *stop* warning applies and no reason
    is given; with a reason, the override to keep on the document (``None`` when nothing
    stops)."""
    found = rules.stops(
        step_warnings(ws, source, str(document["client_id"]), document, counted=counted)
    )
    if not found:
        return None
    reason = (despite or "").strip()
    if not reason:
        raise ReliabilityStop(step, _ref(document), found)
    return {
        "step": step,
        "on": ws.today().isoformat(),
        "by": ws.owner,
        "reason": reason,
        "warnings": [str(w) for w in found],
    }


# --- changing a client's profile -----------------------------------------------------------


def change_client(
    ws: Workspace,
    client_id: str,
    change: Callable[[Client], Client],
    expected_rev: int | None = None,
) -> Client:
    """Read, change and write one client in one transaction: all of it or nothing."""
    with ws.store.transaction() as tx:
        client = load_client(tx, client_id)
        if expected_rev is not None and client.rev != expected_rev:
            raise ConflictError(
                f"client {client.id} was changed elsewhere (revision {client.rev}, you had "
                f"{expected_rev}); reload it and try again"
            )
        changed = change(client)
        stored = tx.update("clients", client.id, changed.to_dict(), expected_rev=client.rev)
    return Client.from_dict(stored)


def load_client(tx: TransactionPort, client_id: str) -> Client:
    doc = tx.get("clients", client_id.strip().upper())
    if doc is None:
        raise NotFoundError(f"client {client_id} does not exist")
    return Client.from_dict(doc)


def _not_future(ws: Workspace, day: date, field: str) -> date:
    if day > ws.today():
        raise ValidationError(field, f"{day.isoformat()} is in the future")
    return day


def _with_profile(client: Client, **changes: Any) -> Client:
    return client.evolve(reliability=client.reliability.evolve(**changes))


def add_payment(
    ws: Workspace,
    client_id: str,
    *,
    invoice: str,
    amount: Decimal,
    due: date,
    currency: str | None = None,
    paid: date | None = None,
    expected_rev: int | None = None,
) -> Client:
    """Record an invoice of the payment history; its number is unique for the client."""
    if paid is not None:
        _not_future(ws, paid, "paid")

    def add(client: Client) -> Client:
        number = invoice.strip()
        if any(p.invoice.casefold() == number.casefold() for p in client.reliability.payments):
            raise ValidationError(
                "invoice", f"{client.id} already has invoice {number!r}; record its payment instead"
            )
        payment = Payment(
            invoice=number,
            amount=amount,
            currency=currency or client.currency,
            due=due,
            paid=paid,
        )
        return _with_profile(client, payments=(*client.reliability.payments, payment))

    return change_client(ws, client_id, add, expected_rev)


def mark_paid(
    ws: Workspace, client_id: str, invoice: str, *, on: date, expected_rev: int | None = None
) -> Client:
    _not_future(ws, on, "on")

    def pay(client: Client) -> Client:
        payments = list(client.reliability.payments)
        for i, payment in enumerate(payments):
            if payment.invoice.casefold() == invoice.strip().casefold():
                if payment.paid is not None:
                    raise ValidationError(
                        "invoice",
                        f"invoice {payment.invoice} of {client.id} was already paid on "
                        f"{payment.paid.isoformat()}",
                    )
                payments[i] = payment.evolve(paid=on)
                return _with_profile(client, payments=tuple(payments))
        raise NotFoundError(f"client {client.id} has no invoice {invoice.strip()!r}")

    return change_client(ws, client_id, pay, expected_rev)


def add_flag(
    ws: Workspace,
    client_id: str,
    category: FlagCategory,
    note: str,
    *,
    raised_on: date | None = None,
    expected_rev: int | None = None,
) -> Client:
    day = _not_future(ws, raised_on, "on") if raised_on else ws.today()

    def add(client: Client) -> Client:
        flag = RedFlag(category=category, note=note, raised_on=day)
        return _with_profile(client, red_flags=(*client.reliability.red_flags, flag))

    return change_client(ws, client_id, add, expected_rev)


def resolve_flag(
    ws: Workspace,
    client_id: str,
    number: int,
    resolution: str,
    *,
    on: date | None = None,
    expected_rev: int | None = None,
) -> Client:
    """Resolve the ``number``-th red flag (1-based, in the order they were raised)."""
    day = _not_future(ws, on, "on") if on else ws.today()
    if not resolution.strip():
        raise ValidationError("note", "expected a few words on how the flag was resolved")

    def resolve(client: Client) -> Client:
        flags = list(client.reliability.red_flags)
        if not 1 <= number <= len(flags):
            raise NotFoundError(
                f"client {client.id} has no red flag {number}"
                + (f" (it has 1..{len(flags)})" if flags else " (it has none)")
            )
        flag = flags[number - 1]
        if not flag.open:
            raise ValidationError(
                "flag", f"red flag {number} of {client.id} was resolved on {flag.resolved_on}"
            )
        flags[number - 1] = flag.evolve(resolved_on=day, resolution=resolution.strip())
        return _with_profile(client, red_flags=tuple(flags))

    return change_client(ws, client_id, resolve, expected_rev)


def record_review(
    ws: Workspace,
    client_id: str,
    rating: Rating,
    *,
    reviewer: str | None = None,
    on: date | None = None,
    expected_rev: int | None = None,
    **indicators: Any,
) -> Client:
    """A reliability review: the rating, who reviewed and when, and optionally the financial
    indicators (``years_in_business``, ``revenue_band``, ``credit_limit``,
    ``payment_terms_days``)."""
    day = _not_future(ws, on, "on") if on else ws.today()
    unknown = set(indicators) - set(INDICATORS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a financial indicator")
    who = (reviewer if reviewer is not None else ws.owner).strip()

    def review(client: Client) -> Client:
        return _with_profile(client, rating=rating, reviewed_on=day, reviewer=who, **indicators)

    return change_client(ws, client_id, review, expected_rev)


def set_indicators(
    ws: Workspace, client_id: str, *, expected_rev: int | None = None, **indicators: Any
) -> Client:
    """Correct the financial indicators without recording a review: a new credit limit from
    the finance department is not a fresh look at the client's reliability. ``None`` clears
    an indicator."""
    unknown = set(indicators) - set(INDICATORS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a financial indicator")
    return change_client(
        ws, client_id, lambda client: _with_profile(client, **indicators), expected_rev
    )


# --- complaints ------------------------------------------------------------------------------


def complaints_of(ws: Workspace, client_id: str, *, open_only: bool = False) -> list[Complaint]:
    """The client's complaints, newest first."""
    found = [Complaint.from_dict(d) for d in ws.store.find("complaints", client_id=client_id)]
    if open_only:
        found = [c for c in found if c.open]
    return sorted(found, key=lambda c: (c.raised_on, c.id), reverse=True)


def add_complaint(
    ws: Workspace,
    client_id: str,
    what: str,
    *,
    severity: Severity = Severity.MEDIUM,
    deal_id: str | None = None,
    raised_on: date | None = None,
) -> Complaint:
    day = _not_future(ws, raised_on, "on") if raised_on else ws.today()
    with ws.store.transaction() as tx:
        client = load_client(tx, client_id)
        if deal_id is not None:
            deal = tx.get("deals", deal_id.strip().upper())
            if deal is None:
                raise NotFoundError(f"deal {deal_id} does not exist")
            if deal["client_id"] != client.id:
                raise ValidationError(
                    "deal",
                    f"deal {deal['id']} belongs to client {deal['client_id']}, not {client.id}",
                )
            deal_id = str(deal["id"])
        complaint = Complaint(
            id=tx.new_id("complaints"),
            client_id=client.id,
            deal_id=deal_id,
            what=what,
            severity=severity,
            raised_on=day,
        )
        stored = tx.insert("complaints", complaint.to_dict())
    return Complaint.from_dict(stored)


def _change_complaint(
    ws: Workspace, complaint_id: str, change: Callable[[Complaint], Mapping[str, Any]]
) -> Complaint:
    with ws.store.transaction() as tx:
        doc = tx.get("complaints", complaint_id.strip().upper())
        if doc is None:
            raise NotFoundError(f"complaint {complaint_id} does not exist")
        complaint = Complaint.from_dict(doc)
        if not complaint.open:
            raise ValidationError(
                "complaint",
                f"complaint {complaint.id} was resolved on {complaint.resolved_on}; "
                "raise a new one if the problem is back",
            )
        changed = complaint.evolve(**change(complaint))
        stored = tx.update(
            "complaints", complaint.id, changed.to_dict(), expected_rev=complaint.rev
        )
    return Complaint.from_dict(stored)


def escalate_complaint(ws: Workspace, complaint_id: str, to: str) -> Complaint:
    if not to.strip():
        raise ValidationError("to", "expected who the complaint is escalated to")
    return _change_complaint(ws, complaint_id, lambda _: {"escalated_to": to.strip()})


def resolve_complaint(
    ws: Workspace, complaint_id: str, resolution: str, *, on: date | None = None
) -> Complaint:
    if not resolution.strip():
        raise ValidationError("resolution", "expected how the complaint was resolved")
    day = _not_future(ws, on, "on") if on else ws.today()

    def resolve(complaint: Complaint) -> Mapping[str, Any]:
        if day < complaint.raised_on:
            raise ValidationError(
                "on",
                f"{day.isoformat()} is before the complaint was raised ({complaint.raised_on})",
            )
        return {"resolution": resolution.strip(), "resolved_on": day}

    return _change_complaint(ws, complaint_id, resolve)


def document_warnings(ws: Workspace, doc: Any, step: str = "issue") -> list[ReliabilityWarning]:
    """Every warning ``step`` of ``doc`` (a Document) would meet: a draft counts its total as
    issuing would, an accepted offer is counted already (``contract``)."""
    if not doc.snapshot:
        # A draft has no frozen total yet: count it as issuing would.
        data = {**doc.to_dict(), "snapshot": {"totals": {"total": str(doc.totals().total)}}}
    else:
        data = doc.to_dict()
    return step_warnings(ws, ws.store, doc.client_id, data, counted=step == "contract")


def stops_for(ws: Workspace, ref: str, step: str) -> list[ReliabilityWarning]:
    """The *stop* warnings ``step`` (issue / accept / contract) of document ``ref`` would
    meet: what the app shows before asking for a reason (the step itself checks again)."""
    from accmgr.services.documents import resolve

    return rules.stops(document_warnings(ws, resolve(ws.store, ref), step))
