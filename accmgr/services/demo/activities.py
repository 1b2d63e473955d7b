"""Demo activities: the calls, meetings, e-mails, visits, presentations, tasks and notes of
a KAM's past and future, linked to clients, their deals and their contacts.

Most are done, with an outcome; some are planned ahead; a few are overdue; key clients
have a recurring monthly account review.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from accmgr.domain.activity import Activity, ActivityKind

_KINDS = tuple(ActivityKind)
_KIND_WEIGHTS = (30, 12, 25, 6, 4, 15, 8)  # call, meeting, email, visit, presentation, task, note
_APPOINTMENTS = frozenset(
    {ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.VISIT, ActivityKind.PRESENTATION}
)
_OUTCOMES = {
    ActivityKind.CALL: ("Wants the updated price list", "No answer; try again Thursday",
                        "Agreed to meet next week", "Confirmed the order quantities",
                        "Asked for a callback after the audit"),
    ActivityKind.MEETING: ("Walked through the proposal; revised offer next",
                           "Reviewed open complaints; all but one closed",
                           "Agreed the roll-out plan for the second site"),
    ActivityKind.EMAIL: ("Sent the price list", "Sent the meeting summary",
                         "Sent the offer and the references", "Answered the quality question"),
    ActivityKind.VISIT: ("Checked the wrapping machine; tuned pre-stretch",
                         "Site tour of the new warehouse", "Met the new shift supervisors"),
    ActivityKind.PRESENTATION: ("Presented the WMS demo to IT and operations",
                                "Showed the film savings calculator to the board"),
    ActivityKind.TASK: ("Updated the credit check", "Prepared the offer draft",
                        "Booked the service engineer"),
    ActivityKind.NOTE: ("",),
}  # fmt: skip
_NOTES = {
    ActivityKind.TASK: ("Check the payment of the last invoice", "Prepare the offer draft",
                        "Update the reliability review", "Send samples by courier"),
    ActivityKind.NOTE: ("Purchasing is being centralised at group level.",
                        "Competitor visited them last week with a 10 % discount.",
                        "New warehouse manager starts next month.",
                        "They are happy with delivery times, less with invoicing."),
}  # fmt: skip
_RECURRING = (
    ("FREQ=MONTHLY;BYMONTHDAY=1", ActivityKind.MEETING, "Monthly account review"),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", ActivityKind.MEETING, "Quarterly business review"),
    ("FREQ=WEEKLY;BYDAY=MO", ActivityKind.CALL, "Weekly call on open orders"),
)


@dataclass(frozen=True)
class Span:
    """What an activity may attach to, and when it can have happened."""

    client_id: str
    deal_id: str | None
    contact_ids: tuple[str, ...]
    start: datetime
    stop: datetime  # when a lost deal ended; otherwise now
    future: bool  # whether planning ahead still makes sense


def _office_hours(rng: Random, moment: datetime) -> datetime:
    return moment.replace(hour=rng.randint(8, 17), minute=rng.choice((0, 15, 30, 45)),
                          second=0, microsecond=0)  # fmt: skip


def activities(
    rng: Random,
    count: int,
    spans: Sequence[Span],
    weights: Sequence[float],
    key_clients: Sequence[Span],
    now: datetime,
) -> Iterator[dict[str, object]]:
    """The fields of ``count`` activities (all but the id), in no particular order."""
    recurring = 0
    for span in key_clients:
        if recurring >= count // 10:
            break
        rule, kind, note = _RECURRING[0] if rng.random() < 0.85 else rng.choice(_RECURRING[1:])
        first = (now + timedelta(days=rng.randint(1, 30))).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        recurring += 1
        created = max(span.start, now - timedelta(days=rng.randint(30, 400)))
        yield {"kind": kind, "client_id": span.client_id, "contact_ids": span.contact_ids[:2],
               "due": first, "note": note, "recurrence": rule, "created_at": created}  # fmt: skip
    picks = rng.choices(spans, cum_weights=_cumulative(weights), k=count - recurring)
    kinds = rng.choices(_KINDS, weights=_KIND_WEIGHTS, k=count - recurring)
    for span, kind in zip(picks, kinds, strict=True):
        yield _one(rng, span, kind, now)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _one(rng: Random, span: Span, kind: ActivityKind, now: datetime) -> dict[str, object]:
    roll = rng.random()
    people = span.contact_ids
    chosen: tuple[str, ...] = ()
    if people and kind is not ActivityKind.NOTE:
        chosen = (rng.choice(people),)
    if kind is ActivityKind.MEETING and len(people) > 1 and rng.random() < 0.4:
        chosen = tuple(rng.sample(people, 2))
    fields: dict[str, object] = {
        "kind": kind, "client_id": span.client_id, "deal_id": span.deal_id, "contact_ids": chosen,
    }  # fmt: skip
    life = (span.stop - span.start).total_seconds()
    if roll < 0.78 or not span.future or kind is ActivityKind.NOTE:
        # Done: more of it recent than long ago.
        at = span.start + timedelta(seconds=life * (1 - rng.random() ** 1.6))
        at = min(_office_hours(rng, at), span.stop)
        fields["created_at"] = max(span.start, at - timedelta(days=rng.uniform(0, 7)))
        if kind is ActivityKind.NOTE:
            fields.update(done_at=at, note=rng.choice(_NOTES[kind]))
            return fields
        if kind in _APPOINTMENTS:
            fields["due"] = at
            fields["done_at"] = min(at + timedelta(minutes=rng.choice((15, 30, 60, 90))), now)
        elif kind is ActivityKind.TASK:
            fields.update(due=at.date(), done_at=at, note=rng.choice(_NOTES[kind]))
        else:
            fields["done_at"] = at
        fields["outcome"] = rng.choice(_OUTCOMES[kind])
        return fields
    if roll < 0.85:  # overdue: planned and let slip
        due = max(span.start, now - timedelta(days=rng.uniform(0.05, 30)))
        created = due - timedelta(days=rng.uniform(0.5, 20))
    else:
        due = now + timedelta(days=rng.uniform(0.05, 60))
        created = now - timedelta(days=rng.uniform(0, 20))
    fields["created_at"] = max(span.start, created)
    if kind in _APPOINTMENTS:
        fields["due"] = min(_office_hours(rng, due), due) if due < now else _office_hours(rng, due)
    else:
        fields["due"] = due.date()
    if kind is ActivityKind.TASK:
        fields["note"] = rng.choice(_NOTES[kind])
    return fields


def activity_record(activity_id: str, fields: dict[str, object]) -> Activity:
    return Activity(id=activity_id, **fields)
