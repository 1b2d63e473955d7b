"""What each stage of the cycle gathered on a demo deal, consistent with where it stands.

A deal past Call has its calls with the appointment set; past Meeting a held meeting with
notes; past Needs a need matched to catalog products; in Objections some open blocking
objections; a won deal its delivery milestones; a deal at Referrals its referral asks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from accmgr.domain.client import DecisionRole
from accmgr.domain.common import Priority
from accmgr.domain.deal import (
    Attendee,
    Call,
    CallOutcome,
    Invitation,
    Meeting,
    Milestone,
    MilestoneStatus,
    Need,
    Objection,
    ObjectionCategory,
    ObjectionStatus,
    Testimonial,
)
from accmgr.domain.stages import Stage
from accmgr.services.demo.timeline import DealPlan


@dataclass(frozen=True)
class Who:
    """A contact of the deal's client, as the deal data refers to it."""

    id: str
    name: str
    role: DecisionRole
    title: str


def _between(rng: Random, start: datetime, stop: datetime, count: int) -> list[datetime]:
    """``count`` moments in office hours from ``start`` to ``stop``, in order."""
    span = max((stop - start).total_seconds(), 60.0)
    found = []
    for _ in range(count):
        moment = start + timedelta(seconds=rng.uniform(0.05, 0.95) * span)
        moment = moment.replace(hour=rng.randint(8, 17), minute=rng.randrange(0, 60, 5),
                                second=0, microsecond=0)  # fmt: skip
        found.append(min(max(moment, start), stop))
    return sorted(found)


_CALL_NOTES = {
    CallOutcome.NO_ANSWER: ("Voicemail, left a message.", "Reception: call after 14:00."),
    CallOutcome.CALL_BACK: ("Asked to call back next week.", "Busy with an audit; call back."),
    CallOutcome.APPOINTMENT_SET: ("Meeting booked.", "Agreed to meet at their site."),
    CallOutcome.DECLINED: ("Not interested this year.", "Happy with the current supplier."),
}


def calls(rng: Random, plan: DealPlan, contacts: Sequence[Who], now: datetime) -> tuple[Call, ...]:
    window = plan.window(Stage.CALL, now)
    if window is None:
        return ()
    moments = _between(rng, *window, rng.randint(1, 3))
    outcomes = [rng.choice((CallOutcome.NO_ANSWER, CallOutcome.CALL_BACK)) for _ in moments]
    if plan.passed(Stage.CALL) or (plan.status == "open" and rng.random() < 0.3):
        outcomes[-1] = CallOutcome.APPOINTMENT_SET
    elif plan.status == "lost":
        outcomes[-1] = CallOutcome.DECLINED
    found = []
    for at, outcome in zip(moments, outcomes, strict=True):
        who = rng.choice(contacts)
        follow_up = None
        if outcome in (CallOutcome.NO_ANSWER, CallOutcome.CALL_BACK):
            follow_up = (at + timedelta(days=rng.randint(2, 9))).date()
        found.append(
            Call(at=at, who=who.name, contact_id=who.id, outcome=outcome,
                 note=rng.choice(_CALL_NOTES[outcome]), next_call=follow_up)
        )  # fmt: skip
    return tuple(found)


_PLACES = ("Our office, meeting room 2", "Video call (Teams)", "Our showroom")
_AGENDAS = (
    "Introductions; their current packaging set-up; where we can help",
    "Site tour; volumes and seasonality; draft terms",
    "Pain points on the dispatch line; pilot proposal",
)
_OUTCOMES = (
    "Good fit: they wrap about 300 pallets a day by hand and want to cut film use.",
    "Interested in one supplier for all consumables; asked for references in their industry.",
    "Open to a pilot at one site; decision by the board after the budget review.",
    "Keen on the warehouse software; IT wants to see the integration options.",
)


def meetings(
    rng: Random, plan: DealPlan, contacts: Sequence[Who], owner: str, site: str, now: datetime
) -> tuple[Meeting, ...]:
    window = plan.window(Stage.MEETING, now)
    booked = plan.stage is Stage.CALL and plan.status == "open" and rng.random() < 0.3
    if window is None and not booked:
        return ()
    if window is None:
        start = plan.entered[-1] + timedelta(days=rng.uniform(1, 10))
        at = max(start, now + timedelta(days=rng.uniform(1, 10)))
        held = False
    elif plan.passed(Stage.MEETING) or plan.status == "lost":
        at = _between(rng, *window, 1)[0]
        held = plan.passed(Stage.MEETING)
    else:
        at = window[0] + timedelta(days=rng.uniform(2, 14))
        held = at < now and rng.random() < 0.5
    at = at.replace(hour=rng.choice((9, 10, 11, 14, 15)), minute=0, second=0, microsecond=0)
    people = rng.sample(list(contacts), min(len(contacts), rng.randint(1, 3)))
    attendees = tuple(Attendee(name=w.name, role=w.title, contact_id=w.id) for w in people)
    meeting = Meeting(
        planned_at=at,
        place=rng.choice((site, site, *_PLACES)),
        agenda=rng.choice(_AGENDAS),
        attendees=(*attendees, Attendee(name=owner, role="Key-account manager", ours=True)),
        client_interests="Lower cost per shipped pallet; fewer suppliers to manage",
        benefits_to_show="Film savings calculator; delivery within 48 h from the local hub",
        reliability_reviewed=held or rng.random() < 0.5,
        held=held,
        outcome_notes=rng.choice(_OUTCOMES) if held else "",
        draft_contract_points="12-month price lock; consignment stock" if held else "",
        disagreements=(
            "Want 60-day payment terms; we offer 30." if held and rng.random() < 0.4 else ""
        ),
    )
    return (meeting,)


# (need, priority, catalog families that answer it)
_NEEDS = (
    ("Reduce film consumption per pallet", Priority.HIGH, ("PKG", "EQP")),
    ("Label every outgoing pallet with an SSCC code", Priority.HIGH, ("LBL", "EQP")),
    ("Replace manual wrapping on the dispatch line", Priority.MEDIUM, ("EQP", "SRV")),
    ("Consolidate suppliers of consumables", Priority.MEDIUM, ("IND", "LUB", "PKG")),
    ("Track forklift and van fleet utilisation", Priority.LOW, ("SW",)),
    ("Train new warehouse staff before peak season", Priority.MEDIUM, ("TRN", "DOC")),
    ("Extra storage for seasonal stock", Priority.HIGH, ("WHS", "PAL")),
    ("Cut packaging damage in transit", Priority.HIGH, ("CTN", "PAL", "PKG")),
    ("Replace the legacy stock-keeping system", Priority.HIGH, ("SW", "SRV")),
)
_EVENTS = ("LogiMAT fair, Stuttgart", "Open day at our Porto hub", "Packaging Innovations fair",
           "Webinar: automating end-of-line packaging", "Warehouse software demo day")  # fmt: skip


def needs(
    rng: Random, plan: DealPlan, codes: Mapping[str, Sequence[str]], now: datetime
) -> tuple[tuple[Need, ...], tuple[Invitation, ...]]:
    window = plan.window(Stage.NEEDS, now)
    if window is None:
        return (), ()
    matched_all = plan.passed(Stage.NEEDS) or plan.stage > Stage.NEEDS or rng.random() < 0.5
    found = []
    for i, (text, priority, families) in enumerate(rng.sample(_NEEDS, rng.randint(1, 3))):
        pool = [code for family in families for code in codes.get(family, ())]
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        matched = bool(chosen) and ((matched_all and i == 0) or rng.random() < 0.5)
        found.append(
            Need(need=text, priority=priority, products=tuple(chosen) if matched else (),
                 presented=matched and plan.stage > Stage.NEEDS)
        )  # fmt: skip
    invitations: tuple[Invitation, ...] = ()
    if window is not None and rng.random() < 0.35:
        on = (window[0] + timedelta(days=rng.uniform(3, 40))).date()
        accepted = rng.choice((True, True, False)) if on < now.date() else None
        invitations = (Invitation(event=rng.choice(_EVENTS), on=on, accepted=accepted),)
    return tuple(found), invitations


# (category, the client's words, the real reason, our response)
_OBJECTIONS = (
    (ObjectionCategory.PRICE, "Your price is 12 % above what we pay now.",
     "Compares list prices, not cost per pallet", "Showed film savings per pallet"),
    (ObjectionCategory.COMPETITOR, "Our current supplier gives us 60 days.",
     "Cash flow is tight in the low season", "Offered 45 days with a first-order discount"),
    (ObjectionCategory.TIMING, "Come back after the peak season.",
     "No one free to run a changeover", "Proposed the change-over in January"),
    (ObjectionCategory.QUALITY, "The film tore on our old machine during the test.",
     "Machine pre-stretch set too high", "Service visit to tune the machine"),
    (ObjectionCategory.TRUST, "We do not know you; who else in our industry buys from you?",
     "Burned by a new supplier before", "Sent two references and a site visit offer"),
    (ObjectionCategory.TERMS, "We need consignment stock at our site.",
     "Warehouse space is short", "Weekly deliveries from the hub instead"),
)  # fmt: skip


def objections(rng: Random, plan: DealPlan, now: datetime) -> tuple[Objection, ...]:
    window = plan.window(Stage.OBJECTIONS, now)
    if window is None:
        return ()
    current = plan.stage is Stage.OBJECTIONS and plan.status != "won"
    chosen = rng.sample(_OBJECTIONS, rng.randint(1, 3))
    days = _between(rng, *window, len(chosen))
    found = []
    for i, ((category, words, reason, response), at) in enumerate(zip(chosen, days, strict=True)):
        status, blocking = ObjectionStatus.RESOLVED, rng.random() < 0.4
        if current and i == 0 and (plan.status == "lost" or rng.random() < 0.6):
            status, blocking = ObjectionStatus.OPEN, True
        elif current and rng.random() < 0.3:
            status, blocking = ObjectionStatus.OPEN, False
        elif not current and rng.random() < 0.15:
            status, blocking = ObjectionStatus.ESCALATED, False
        found.append(
            Objection(category=category, words=words, raised_on=at.date(),
                      real_reason=reason if status is not ObjectionStatus.OPEN else "",
                      response=response if status is not ObjectionStatus.OPEN else "",
                      status=status, blocking=blocking)
        )  # fmt: skip
    return tuple(found)


_MILESTONES = (
    ("Order confirmed and scheduled", "Sales support"), ("First delivery", "Logistics"),
    ("Machine installed and tuned", "Service"), ("Operator training held", "Service"),
    ("Labels printing from their WMS", "IT"), ("Final acceptance signed", "Sales support"),
    ("Second site delivery", "Logistics"),
)  # fmt: skip


def milestones(rng: Random, plan: DealPlan, now: datetime) -> tuple[Milestone, ...]:
    window = plan.window(Stage.FULFILMENT, now)
    if window is None or plan.status != "won":
        return ()
    start, stop = window
    done = plan.passed(Stage.FULFILMENT)
    chosen = [_MILESTONES[0], *rng.sample(_MILESTONES[1:], rng.randint(1, 3))]
    span = (stop - start) if done else timedelta(days=rng.uniform(30, 90))
    today = now.date()
    found = []
    for i, (what, department) in enumerate(chosen):
        due = (start + span * ((i + 1) / len(chosen))).date()
        late = rng.randint(1, 15) if rng.random() < 0.25 else -rng.randint(0, 3)
        delivered: date | None = due + timedelta(days=late)
        if done:
            assert delivered is not None
            delivered = max(start.date(), min(delivered, stop.date()))
            status = MilestoneStatus.DELIVERED
        elif delivered is not None and delivered <= today and rng.random() < 0.85:
            status = MilestoneStatus.DELIVERED
        else:
            delivered = None
            status = rng.choice((MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS))
            if due < today and rng.random() < 0.3:
                status = MilestoneStatus.BLOCKED
        found.append(
            Milestone(what=what, due=due, department=department, status=status,
                      delivered_on=delivered)
        )  # fmt: skip
    return tuple(found)


_TESTIMONIALS = (
    "Film use down by a fifth and not one collapsed pallet since the switch.",
    "Deliveries arrive when promised, and the service team knows our machines.",
    "The labelling roll-out went live in two weeks without stopping dispatch.",
)


def testimonials(
    rng: Random, plan: DealPlan, contacts: Sequence[Who], now: datetime
) -> tuple[Testimonial, ...]:
    window = plan.window(Stage.REFERRALS, now)
    if window is None or rng.random() > 0.3:
        return ()
    who = rng.choice(contacts)
    on = _between(rng, *window, 1)[0].date()
    return (Testimonial(text=rng.choice(_TESTIMONIALS), by=f"{who.name}, {who.title}", on=on,
                        may_publish=rng.random() < 0.6),)  # fmt: skip
