"""The meeting brief: what a key-account manager reads the evening before a meeting.

Warnings come first (reliability, serious complaints), then the client in a few lines, who
attends and what they decide, the deal, what is still open, and the reliability detail.
Meetings come from two places: a deal's planned meetings and meeting/visit activities;
an activity at the same moment on the same deal as a deal meeting is the same meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal, ObjectionStatus
from accmgr.domain.reliability import ReliabilityWarning
from accmgr.errors import NotFoundError, ValidationError
from accmgr.services.reliability import assess, client_warnings, complaints_of
from accmgr.services.today import last_contacts, local_day, open_offers
from accmgr.services.workspace import Workspace

INTERACTIONS = 5


@dataclass(frozen=True)
class MeetingRef:
    """Where a meeting is recorded: a deal's ``meetings[index]`` or an activity."""

    source: str  # "deal-meeting" or "activity"
    ref: str
    when: date | datetime
    client_id: str
    deal_id: str | None
    index: int | None = None


@dataclass(frozen=True)
class Brief:
    meeting: MeetingRef
    warnings: list[ReliabilityWarning]
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        # Warnings first in the JSON too (keys are sorted on output, so the name says it).
        return {
            "warnings": list(self.warnings),
            "warning_details": [w.detail() for w in self.warnings],
            **self.data,
        }


def meetings_between(ws: Workspace, start: date, end: date) -> list[MeetingRef]:
    """Every meeting whose day (in the user's zone) is in ``start..end``, soonest first."""
    if end < start:
        raise ValidationError("range", f"{end.isoformat()} is before {start.isoformat()}")
    zone = ws.tz
    found: list[MeetingRef] = []
    seen: set[tuple[str | None, str]] = set()
    for doc in ws.store.all("deals"):
        deal = Deal.from_dict(doc)
        if deal.outcome == "lost":
            continue
        for index, meeting in enumerate(deal.meetings):
            at = meeting.planned_at
            if at is not None and start <= local_day(at, zone) <= end:
                found.append(
                    MeetingRef("deal-meeting", deal.id, at, deal.client_id, deal.id, index)
                )
                seen.add((deal.id, at.astimezone(zone).isoformat()))
    for doc in ws.store.all("activities"):
        if doc.get("kind") not in (ActivityKind.MEETING, ActivityKind.VISIT) or not doc.get("due"):
            continue
        activity = Activity.from_dict(doc)
        assert activity.due is not None
        if not start <= local_day(activity.due, zone) <= end:
            continue
        moment = activity.due
        key = moment.astimezone(zone).isoformat() if isinstance(moment, datetime) else ""
        if (activity.deal_id, key) in seen:
            continue
        found.append(
            MeetingRef("activity", activity.id, moment, activity.client_id, activity.deal_id)
        )
    return sorted(found, key=lambda m: (_moment_key(m.when, ws), m.ref, m.index or 0))


def _moment_key(value: date | datetime, ws: Workspace) -> str:
    if isinstance(value, datetime):
        return value.astimezone(ws.tz).isoformat()[:19]
    return value.isoformat() + "T00:00:00"


def meeting_of(ws: Workspace, record_id: str) -> MeetingRef:
    """The meeting a deal id (its next unheld meeting, else its latest) or an activity id names."""
    rid = record_id.strip().upper()
    if rid.startswith("D-"):
        deal = ws.load("deals", Deal, rid)
        planned = [(i, m) for i, m in enumerate(deal.meetings) if m.planned_at is not None]
        if not planned:
            raise NotFoundError(f"deal {deal.id} has no planned meeting")
        upcoming = [(i, m) for i, m in planned if not m.held]
        index, meeting = (upcoming or planned)[-1 if not upcoming else 0]
        assert meeting.planned_at is not None
        return MeetingRef(
            "deal-meeting", deal.id, meeting.planned_at, deal.client_id, deal.id, index
        )
    if rid.startswith("A-"):
        activity = ws.load("activities", Activity, rid)
        if activity.kind not in (ActivityKind.MEETING, ActivityKind.VISIT) or activity.due is None:
            raise ValidationError("id", f"activity {activity.id} is not a planned meeting or visit")
        return MeetingRef(
            "activity", activity.id, activity.due, activity.client_id, activity.deal_id
        )
    raise ValidationError(
        "id", f"expected a deal (D-0012) or an activity (A-0042), got {record_id!r}"
    )


def briefs_between(ws: Workspace, start: date, end: date) -> list[Brief]:
    return [build_brief(ws, meeting) for meeting in meetings_between(ws, start, end)]


def build_brief(ws: Workspace, meeting: MeetingRef) -> Brief:
    now = ws.now()
    today = now.date()
    client = ws.load("clients", Client, meeting.client_id)
    contacts = {
        c.id: c
        for c in (Contact.from_dict(d) for d in ws.store.find("contacts", client_id=client.id))
    }
    client_deals = [Deal.from_dict(d) for d in ws.store.find("deals", client_id=client.id)]
    deal = next((d for d in client_deals if d.id == meeting.deal_id), None)
    activities = [Activity.from_dict(d) for d in ws.store.find("activities", client_id=client.id)]
    complaints = complaints_of(ws, client.id, open_only=True)
    warnings = client_warnings(ws, client, complaints)
    reliability = assess(ws, client)
    last = last_contacts(ws.store.find("activities", client_id=client.id), client_deals, ws.tz)

    data: dict[str, Any] = {
        "meeting": _meeting(meeting, deal, activities),
        "client": {
            "id": client.id,
            "name": client.name,
            "legal_name": client.legal_name,
            "country": client.country,
            "tier": client.tier.value,
            "segment": client.segment,
            "industry": client.industry,
            "owner": client.owner,
            "language": client.language,
            "currency": client.currency,
            "phone": client.phone,
            "email": client.email,
            "fit_notes": client.fit_notes,
            "last_contact": last[client.id].isoformat() if client.id in last else None,
            "open_deals": [
                {
                    "id": d.id,
                    "title": d.title,
                    "stage": d.stage.label,
                    "value": str(d.value),
                    "currency": d.currency,
                }
                for d in client_deals
                if d.is_open
            ],
            "latest_note": client.notes[-1].text if client.notes else "",
        },
        "attendees": _attendees(meeting, deal, activities, contacts),
        "deal": _deal(ws, deal, now) if deal else None,
        "open_needs": [
            {"need": n.need, "priority": n.priority.value, "products": list(n.products)}
            for n in (deal.needs if deal else ())
            if not n.presented
        ],
        "open_objections": [
            {
                "category": o.category.value,
                "words": o.words,
                "real_reason": o.real_reason,
                "response": o.response,
                "status": o.status.value,
                "blocking": o.blocking,
                "raised_on": o.raised_on.isoformat(),
            }
            for o in (deal.objections if deal else ())
            if o.status is not ObjectionStatus.RESOLVED
        ],
        "last_interactions": _interactions(activities, client_deals)[:INTERACTIONS],
        "promises": _promises(meeting, activities, client_deals),
        "open_offers": [
            {
                "id": o["id"],
                "offer": o["label"],
                "deal_id": o["deal_id"],
                "valid_until": o["valid_until"].isoformat() if o["valid_until"] else None,
                "days_left": (o["valid_until"] - today).days if o["valid_until"] else None,
                "expired": o["expired"],
                "total": o["total"],
                "currency": o["currency"],
            }
            for o in open_offers(ws.store.find("documents", client_id=client.id), today)
        ],
        "open_complaints": [
            {
                "id": c.id,
                "what": c.what,
                "severity": c.severity.value,
                "raised_on": c.raised_on.isoformat(),
                "escalated_to": c.escalated_to,
                "deal_id": c.deal_id,
            }
            for c in complaints
        ],
        "reliability": reliability.to_dict(),
    }
    return Brief(meeting=meeting, warnings=warnings, data=data)


def _meeting(meeting: MeetingRef, deal: Deal | None, activities: list[Activity]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source": meeting.source,
        "ref": meeting.ref,
        "index": meeting.index,
        "when": meeting.when.isoformat(),
    }
    if meeting.source == "deal-meeting" and deal is not None and meeting.index is not None:
        m = deal.meetings[meeting.index]
        out.update(
            place=m.place,
            agenda=m.agenda,
            client_interests=m.client_interests,
            benefits_to_show=m.benefits_to_show,
            reliability_reviewed=m.reliability_reviewed,
            held=m.held,
            draft_contract_points=m.draft_contract_points,
            disagreements=m.disagreements,
        )
    else:
        activity = next(a for a in activities if a.id == meeting.ref)
        out.update(kind=activity.kind.value, agenda=activity.note, held=activity.done)
    return out


def _attendees(
    meeting: MeetingRef,
    deal: Deal | None,
    activities: list[Activity],
    contacts: dict[str, Contact],
) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []

    def person(name: str, title: str, contact_id: str | None, ours: bool) -> dict[str, Any]:
        contact = contacts.get(contact_id) if contact_id else None
        return {
            "name": name,
            "title": title or (contact.title if contact else ""),
            "role": contact.role.value if contact else None,
            "contact_id": contact_id,
            "ours": ours,
            "phone": contact.phone if contact else "",
            "email": contact.email if contact else None,
            "preferred_channel": contact.preferred_channel.value if contact else None,
        }

    if meeting.source == "deal-meeting" and deal is not None and meeting.index is not None:
        for a in deal.meetings[meeting.index].attendees:
            people.append(person(a.name, a.role, a.contact_id, a.ours))
    else:
        activity = next(a for a in activities if a.id == meeting.ref)
        for contact_id in activity.contact_ids:
            contact = contacts.get(contact_id)
            people.append(person(contact.name if contact else contact_id, "", contact_id, False))
    return people


def _deal(ws: Workspace, deal: Deal, now: datetime) -> dict[str, Any]:
    return {
        "id": deal.id,
        "title": deal.title,
        "stage": deal.stage.value,
        "stage_label": deal.stage.label,
        "days_in_stage": deal.days_in_stage(now),
        "value": str(deal.value),
        "currency": deal.currency,
        "probability": str(deal.probability(ws.rules)),
        "stage_default_probability": str(ws.rules[deal.stage].default_probability),
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
        "next_step": deal.next_step,
        "next_step_due": deal.next_step_due.isoformat() if deal.next_step_due else None,
        "stalled": deal.stall_reasons(now, ws.rules),
        "outcome": deal.outcome,
    }


def _interactions(activities: list[Activity], deals: list[Deal]) -> list[dict[str, Any]]:
    """Done activities and a deal's logged calls, newest first."""
    rows: list[tuple[str, dict[str, Any]]] = []
    for a in activities:
        if a.done_at is None:
            continue
        rows.append(
            (
                _sortable(a.done_at),
                {
                    "at": a.done_at.isoformat(),
                    "kind": a.kind.value,
                    "id": a.id,
                    "deal_id": a.deal_id,
                    "note": a.note,
                    "outcome": a.outcome,
                },
            )
        )
    for deal in deals:
        for call in deal.calls:
            rows.append(
                (
                    _sortable(call.at),
                    {
                        "at": call.at.isoformat(),
                        "kind": "call",
                        "id": deal.id,
                        "deal_id": deal.id,
                        "note": f"{call.who}: {call.note}".rstrip(": "),
                        # Words, as the activities' free-text outcomes beside it.
                        "outcome": call.outcome.value.replace("-", " "),
                    },
                )
            )
    rows.sort(key=lambda row: row[0], reverse=True)
    return [row for _, row in rows]


def _sortable(value: date | datetime) -> str:
    if isinstance(value, datetime):
        from datetime import UTC

        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _promises(
    meeting: MeetingRef, activities: list[Activity], deals: list[Deal]
) -> list[dict[str, Any]]:
    """What we owe the client: open activities (not this meeting) and open deals' next steps."""
    rows: list[dict[str, Any]] = []
    for a in activities:
        if a.done or a.id == meeting.ref or a.kind is ActivityKind.NOTE:
            continue
        rows.append(
            {
                "kind": a.kind.value,
                "id": a.id,
                "deal_id": a.deal_id,
                "what": a.note or a.kind.value,
                "due": a.due.isoformat() if a.due else None,
                "recurrence": a.recurrence,
            }
        )
    for deal in deals:
        if deal.is_open and deal.next_step:
            rows.append(
                {
                    "kind": "next-step",
                    "id": deal.id,
                    "deal_id": deal.id,
                    "what": deal.next_step,
                    "due": deal.next_step_due.isoformat() if deal.next_step_due else None,
                    "recurrence": None,
                }
            )
    return sorted(rows, key=lambda r: (r["due"] is None, r["due"] or "", r["id"]))
