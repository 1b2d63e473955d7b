"""What each stage of the cycle records on a deal: one function per action the KAM takes.

Every action is one transaction: the deal is read, checked against the revision the caller
saw (``expected_rev``), changed and written — all of it or nothing. Items inside a deal
(calls, meetings, needs…) are named by their position in their list; lists only grow, so a
position stays valid, and the revision check refuses an edit based on a stale read.
Refusals are :class:`ValidationError` naming the field the user typed, so a form can show
the message beside that field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from accmgr.domain.base import Record
from accmgr.domain.client import Client, Contact
from accmgr.domain.common import Priority
from accmgr.domain.deal import (
    Attendee,
    Call,
    CallOutcome,
    Deal,
    Invitation,
    LeadSource,
    Meeting,
    Milestone,
    MilestoneStatus,
    Need,
    Objection,
    ObjectionCategory,
    ObjectionStatus,
    Referral,
    ReferralStatus,
    Testimonial,
)
from accmgr.errors import AccmgrError, NotFoundError, ValidationError
from accmgr.services.catalog import find_product
from accmgr.services.deals import change_deal
from accmgr.services.ports import TransactionPort
from accmgr.services.workspace import Workspace

T = TypeVar("T", bound=Record)


class StageDataRefused(AccmgrError):
    """An action the deal's state does not allow (a lost deal keeps its data as it was)."""


def field_of(error: ValidationError) -> str:
    """The form field a refusal names: ``call.who`` → ``who``; ``attendees.2`` → ``attendees``."""
    parts = [p for p in error.field.split(".") if not p.isdigit()]
    return parts[-1] if parts else error.field


def _build(record: type[T], rename: dict[str, str] | None = None, **data: Any) -> T:
    """A record, with a refusal naming the field as the user knows it (``who``, not ``call.who``).

    Nested paths keep their outer field: an attendee's bad name is the ``attendees`` field.
    """
    try:
        return record(**data)
    except ValidationError as exc:
        parts = exc.field.split(".")
        name = parts[1] if len(parts) > 1 else exc.field
        raise ValidationError((rename or {}).get(name, name), exc.detail) from None


def _change(
    ws: Workspace,
    deal_id: str,
    expected_rev: int | None,
    change: Callable[[Deal, TransactionPort], Deal],
) -> Deal:
    """deals.change_deal, refusing a lost deal: its records are kept as they were."""

    def unless_lost(deal: Deal, tx: TransactionPort) -> Deal:
        if deal.outcome == "lost":
            raise StageDataRefused(f"deal {deal.id} is lost; its records are kept as they were")
        return change(deal, tx)

    return change_deal(ws, deal_id, expected_rev, unless_lost)


def _item(items: Sequence[T], index: int, noun: str) -> T:
    if not 0 <= index < len(items):
        raise NotFoundError(f"there is no {noun} #{index + 1} on this deal")
    return items[index]


def _replace(items: Sequence[T], index: int, item: T) -> tuple[T, ...]:
    return (*items[:index], item, *items[index + 1 :])


def _required(name: str, text: str, what: str) -> str:
    if not text.strip():
        raise ValidationError(name, f"expected {what}")
    return text.strip()


def _evolve(item: T, **changes: Any) -> T:
    try:
        return item.evolve(**changes)
    except ValidationError as exc:
        parts = exc.field.split(".")
        raise ValidationError(parts[1] if len(parts) > 1 else exc.field, exc.detail) from None


# --- Call --------------------------------------------------------------------------------------


def record_call(
    ws: Workspace,
    deal_id: str,
    *,
    at: datetime,
    who: str,
    outcome: CallOutcome,
    note: str = "",
    next_call: date | None = None,
    contact_id: str | None = None,
    expected_rev: int | None = None,
) -> Deal:
    if next_call is not None and next_call < (at.date() if isinstance(at, datetime) else at):
        raise ValidationError("next_call", "expected a date on or after the call")
    call = _build(
        Call, at=at, who=who, outcome=outcome, note=note, next_call=next_call, contact_id=contact_id
    )

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(calls=(*deal.calls, call))

    return _change(ws, deal_id, expected_rev, change)


# --- Meeting -----------------------------------------------------------------------------------


def parse_attendees(text: str) -> tuple[Attendee, ...]:
    """One attendee per line, ``Name, role``; a leading ``+`` marks someone from our side."""
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        ours = line.startswith("+")
        name, _, role = line.lstrip("+").partition(",")
        if not name.strip():
            raise ValidationError("attendees", f"line {number}: expected a name before the comma")
        found.append(
            _build(
                Attendee,
                {"name": "attendees", "role": "attendees"},
                name=name,
                role=role,
                ours=ours,
            )
        )
    return tuple(found)


def attendees_text(attendees: Sequence[Attendee]) -> str:
    """The inverse of :func:`parse_attendees`, to edit them."""
    return "\n".join(
        ("+" if a.ours else "") + a.name + (f", {a.role}" if a.role else "") for a in attendees
    )


def book_meeting(
    ws: Workspace,
    deal_id: str,
    *,
    planned_at: datetime,
    place: str,
    agenda: str = "",
    expected_rev: int | None = None,
) -> Deal:
    """A meeting with its date, time and place: what the Call stage's exit criterion asks."""
    if not isinstance(planned_at, datetime):
        raise ValidationError("planned_at", "expected a date with a time, such as tomorrow 14:30")
    meeting = _build(
        Meeting,
        planned_at=planned_at,
        place=_required("place", place, "where the meeting is"),
        agenda=agenda,
    )

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(meetings=(*deal.meetings, meeting))

    return _change(ws, deal_id, expected_rev, change)


def update_meeting_prep(
    ws: Workspace,
    deal_id: str,
    index: int,
    *,
    agenda: str | None = None,
    attendees: Sequence[Attendee] | None = None,
    client_interests: str | None = None,
    benefits_to_show: str | None = None,
    reliability_reviewed: bool | None = None,
    planned_at: datetime | None = None,
    place: str | None = None,
    expected_rev: int | None = None,
) -> Deal:
    """The preparation of meeting ``index``; fields left None keep their value."""
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("agenda", agenda),
            ("attendees", tuple(attendees) if attendees is not None else None),
            ("client_interests", client_interests),
            ("benefits_to_show", benefits_to_show),
            ("reliability_reviewed", reliability_reviewed),
            ("planned_at", planned_at),
            ("place", place),
        )
        if value is not None
    }
    if place is not None:
        _required("place", place, "where the meeting is")

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        meeting = _item(deal.meetings, index, "meeting")
        return deal.evolve(meetings=_replace(deal.meetings, index, _evolve(meeting, **changes)))

    return _change(ws, deal_id, expected_rev, change)


def record_meeting_outcome(
    ws: Workspace,
    deal_id: str,
    index: int,
    *,
    held: bool,
    notes: str,
    draft_contract_points: str = "",
    disagreements: str = "",
    expected_rev: int | None = None,
) -> Deal:
    if held and not notes.strip():
        raise ValidationError("notes", "expected a few words on what was said at the meeting")

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        meeting = _item(deal.meetings, index, "meeting")
        if held and meeting.planned_at is not None and meeting.planned_at > ws.now():
            raise ValidationError(
                "held", f"the meeting is planned for {meeting.planned_at:%Y-%m-%d %H:%M}, later"
            )
        done = _evolve(
            meeting,
            held=held,
            outcome_notes=notes,
            draft_contract_points=draft_contract_points,
            disagreements=disagreements,
        )
        return deal.evolve(meetings=_replace(deal.meetings, index, done))

    return _change(ws, deal_id, expected_rev, change)


# --- Needs -------------------------------------------------------------------------------------


def _catalog_codes(tx: TransactionPort, codes: Sequence[str]) -> tuple[str, ...]:
    """The codes as the catalog writes them; each must name an active product."""
    found: list[str] = []
    for raw in codes:
        code = raw.strip()
        if not code:
            continue
        product = find_product(tx, code)
        if product is None:
            raise ValidationError("products", f"no product {code} in the catalog")
        if not product.active:
            raise ValidationError("products", f"product {product.code} is no longer sold")
        if product.code not in found:
            found.append(product.code)
    return tuple(found)


def split_codes(text: str) -> list[str]:
    return [code for code in text.replace(",", " ").split() if code]


def add_need(
    ws: Workspace,
    deal_id: str,
    *,
    need: str,
    priority: Priority = Priority.MEDIUM,
    products: Sequence[str] = (),
    presented: bool = False,
    expected_rev: int | None = None,
) -> Deal:
    item = _build(Need, need=need, priority=priority, presented=presented)

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        matched = item.evolve(products=_catalog_codes(tx, products))
        return deal.evolve(needs=(*deal.needs, matched))

    return _change(ws, deal_id, expected_rev, change)


def match_need_to_products(
    ws: Workspace,
    deal_id: str,
    index: int,
    products: Sequence[str],
    *,
    presented: bool | None = None,
    expected_rev: int | None = None,
) -> Deal:
    """Set the products matched to need ``index`` (replacing the previous match)."""

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        need = _item(deal.needs, index, "need")
        changes: dict[str, Any] = {"products": _catalog_codes(tx, products)}
        if presented is not None:
            changes["presented"] = presented
        return deal.evolve(needs=_replace(deal.needs, index, need.evolve(**changes)))

    return _change(ws, deal_id, expected_rev, change)


def add_invitation(
    ws: Workspace,
    deal_id: str,
    *,
    event: str,
    on: date,
    accepted: bool | None = None,
    expected_rev: int | None = None,
) -> Deal:
    invitation = _build(Invitation, event=event, on=on, accepted=accepted)

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(invitations=(*deal.invitations, invitation))

    return _change(ws, deal_id, expected_rev, change)


# --- Objections --------------------------------------------------------------------------------


def add_objection(
    ws: Workspace,
    deal_id: str,
    *,
    category: ObjectionCategory,
    words: str,
    real_reason: str = "",
    response: str = "",
    status: ObjectionStatus = ObjectionStatus.OPEN,
    blocking: bool = False,
    raised_on: date | None = None,
    expected_rev: int | None = None,
) -> Deal:
    objection = _build(
        Objection,
        category=category,
        words=words,
        real_reason=real_reason,
        response=response,
        status=status,
        blocking=blocking,
        raised_on=raised_on or ws.today(),
    )

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(objections=(*deal.objections, objection))

    return _change(ws, deal_id, expected_rev, change)


OBJECTION_FIELDS = ("category", "words", "real_reason", "response", "status", "blocking")


def update_objection(
    ws: Workspace,
    deal_id: str,
    index: int,
    *,
    expected_rev: int | None = None,
    **changes: Any,
) -> Deal:
    """Change objection ``index``: any of category, words, real_reason, response, status,
    blocking."""
    unknown = sorted(set(changes) - set(OBJECTION_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "is not a field of an objection")

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        objection = _item(deal.objections, index, "objection")
        changed = _evolve(objection, **changes)
        return deal.evolve(objections=_replace(deal.objections, index, changed))

    return _change(ws, deal_id, expected_rev, change)


# --- Fulfilment --------------------------------------------------------------------------------


def add_milestone(
    ws: Workspace,
    deal_id: str,
    *,
    what: str,
    due: date,
    department: str = "",
    status: MilestoneStatus = MilestoneStatus.PLANNED,
    expected_rev: int | None = None,
) -> Deal:
    if status == MilestoneStatus.DELIVERED:
        raise ValidationError("status", "record a delivery with its date (deliver_milestone)")
    milestone = _build(Milestone, what=what, due=due, department=department, status=status)

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(milestones=(*deal.milestones, milestone))

    return _change(ws, deal_id, expected_rev, change)


def deliver_milestone(
    ws: Workspace,
    deal_id: str,
    index: int,
    *,
    delivered_on: date,
    expected_rev: int | None = None,
) -> Deal:
    """Milestone ``index`` delivered on that day: on time when no later than its due date."""
    if delivered_on > ws.today():
        raise ValidationError("delivered_on", "expected a day that has come, not a future one")

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        milestone = _item(deal.milestones, index, "milestone")
        done = _evolve(milestone, status=MilestoneStatus.DELIVERED, delivered_on=delivered_on)
        return deal.evolve(milestones=_replace(deal.milestones, index, done))

    return _change(ws, deal_id, expected_rev, change)


# --- Referrals ---------------------------------------------------------------------------------


def ask_referral(
    ws: Workspace,
    deal_id: str,
    *,
    asked_on: date | None = None,
    note: str = "",
    expected_rev: int | None = None,
) -> Deal:
    referral = _build(Referral, asked_on=asked_on or ws.today(), note=note)

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(referrals=(*deal.referrals, referral))

    return _change(ws, deal_id, expected_rev, change)


def receive_referral(
    ws: Workspace,
    deal_id: str,
    *,
    company: str,
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    note: str = "",
    index: int | None = None,
    expected_rev: int | None = None,
) -> tuple[Deal, Client]:
    """A referral received: the company becomes a prospect client linked to its referrer
    (the deal's client), with the named person as its contact, and the referral on the deal
    names it. ``index`` completes an earlier ask; without it the referral came unasked."""
    company = _required("company", company, "the referred company's name")
    if (phone or email) and not contact_name.strip():
        raise ValidationError("contact_name", "expected the person the phone or e-mail is of")
    now = ws.now()
    made: list[Client] = []

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        referrer = tx.get("clients", deal.client_id)
        currency = str(referrer["currency"]) if referrer is not None else "EUR"
        client = _build(
            Client,
            {"name": "company"},
            id=tx.new_id("clients"),
            name=company,
            referred_by=deal.client_id,
            lead_source=LeadSource.REFERRAL.value,
            currency=currency,
            owner=ws.owner,
            created_at=now,
        )
        tx.insert("clients", client.to_dict())
        made.append(client)
        if contact_name.strip():
            contact = _build(
                Contact,
                {"name": "contact_name"},
                id=tx.new_id("contacts"),
                client_id=client.id,
                name=contact_name,
                phone=phone,
                email=email.strip() or None,
            )
            tx.insert("contacts", contact.to_dict())
        details: dict[str, Any] = {
            "status": ReferralStatus.RECEIVED,
            "company": company,
            "contact_name": contact_name,
            "client_id": client.id,
        }
        if index is None:
            referral = _build(Referral, asked_on=ws.today(), note=note, **details)
            return deal.evolve(referrals=(*deal.referrals, referral))
        asked = _item(deal.referrals, index, "referral")
        if asked.status != ReferralStatus.ASKED:
            raise StageDataRefused(f"referral #{index + 1} is already {asked.status.value}")
        received = _evolve(asked, note=note or asked.note, **details)
        return deal.evolve(referrals=_replace(deal.referrals, index, received))

    deal = _change(ws, deal_id, expected_rev, change)
    stored = ws.store.get("clients", made[-1].id)
    return deal, Client.from_dict(stored) if stored is not None else made[-1]


def add_testimonial(
    ws: Workspace,
    deal_id: str,
    *,
    text: str,
    by: str,
    on: date | None = None,
    may_publish: bool = False,
    expected_rev: int | None = None,
) -> Deal:
    testimonial = _build(
        Testimonial, text=text, by=by, on=on or ws.today(), may_publish=may_publish
    )

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(testimonials=(*deal.testimonials, testimonial))

    return _change(ws, deal_id, expected_rev, change)


# --- Next step ---------------------------------------------------------------------------------


def set_next_step(
    ws: Workspace,
    deal_id: str,
    text: str,
    due: date | None,
    *,
    expected_rev: int | None = None,
) -> Deal:
    """What happens next and by when; an empty text clears it (the deal then shows stalled)."""
    text = text.strip()
    if text and due is None:
        raise ValidationError("due", "expected the date the next step is due")
    if due is not None and not text:
        raise ValidationError("next_step", "expected what the next step is")

    def change(deal: Deal, tx: TransactionPort) -> Deal:
        return deal.evolve(next_step=text, next_step_due=due)

    return _change(ws, deal_id, expected_rev, change)
