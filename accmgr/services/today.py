"""The Today list and the actions on its rows.

Every moment is classified by its calendar day in the user's time zone (the workspace
clock's), not by the offset it was stored with: a meeting stored at 00:30+02:00 before a
daylight-saving change is still the day the user sees on the wall clock. Rows appear in one
section only, so a KAM never works the same item twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.client import Client, Tier
from accmgr.domain.deal import Deal
from accmgr.errors import ConflictError, NotFoundError, ValidationError
from accmgr.services.ports import Doc, TransactionPort
from accmgr.services.workspace import Workspace

# A key client with no contact for this many days is dormant. Config key wanted:
# ``today.dormant_days`` (the CLI reads ``settings.dormant_days`` when it exists).
DORMANT_DAYS = 45
# Offers whose validity ends within this many days are "expiring".
EXPIRY_DAYS = 7

SECTIONS: dict[str, str] = {
    "overdue": "Overdue follow-ups",
    "due_today": "Due today",
    "meetings": "Meetings today and tomorrow",
    "stalled": "Stalled deals",
    "expiring_offers": f"Offers expiring within {EXPIRY_DAYS} days",
    "past_close": "Expected close date passed",
    "dormant": "Dormant key clients",
    "reviews": "Recurring reviews due",
}
_APPOINTMENTS = (ActivityKind.MEETING, ActivityKind.VISIT)
# What counts as contact with a client (a note or a task is not).
_CONTACT_KINDS = {"call", "meeting", "email", "visit", "presentation"}


@dataclass(frozen=True)
class TodayItem:
    """One row. ``kind`` says what ``ref`` names: an activity, a deal's next step or meeting
    (``index`` in ``deal.meetings``), a deal, an offer, a client, or a client's reliability
    review."""

    section: str
    kind: str
    ref: str
    client_id: str
    client_name: str
    title: str
    when: date | datetime | None = None
    detail: str = ""
    deal_id: str | None = None
    index: int | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "kind": self.kind,
            "ref": self.ref,
            "client_id": self.client_id,
            "client_name": self.client_name,
            "deal_id": self.deal_id,
            "index": self.index,
            "title": self.title,
            "when": None if self.when is None else self.when.isoformat(),
            "detail": self.detail,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class TodayList:
    now: datetime
    sections: dict[str, list[TodayItem]] = field(default_factory=dict)

    def items(self) -> list[TodayItem]:
        return [item for key in SECTIONS for item in self.sections.get(key, [])]

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "today": self.now.date().isoformat(),
            "sections": {
                key: [item.to_dict() for item in self.sections.get(key, [])] for key in SECTIONS
            },
        }


def local_day(value: date | datetime, zone: tzinfo | None) -> date:
    """The wall-calendar day of a moment in the user's zone; an all-day date is itself."""
    if isinstance(value, datetime):
        return value.astimezone(zone).date()
    return value


def _sort_key(item: TodayItem, zone: tzinfo | None) -> tuple[str, str]:
    when = item.when
    if when is None:
        return ("9", item.ref)
    if isinstance(when, datetime):
        return (when.astimezone(zone).isoformat()[:19], item.ref)
    return (when.isoformat() + "T00:00:00", item.ref)  # all-day first within its day


def build_today(ws: Workspace, *, dormant_days: int = DORMANT_DAYS) -> TodayList:
    """Everything that wants the KAM's attention today, by section."""
    from accmgr.services.reliability import client_warnings

    now = ws.now()
    zone = now.tzinfo
    today = now.date()
    tomorrow = today + timedelta(days=1)
    clients = {c.id: c for c in ws.load_all("clients", Client)}
    deals = [Deal.from_dict(d) for d in ws.store.all("deals")]
    activity_docs = ws.store.all("activities")
    warned: dict[str, tuple[str, ...]] = {}

    def warnings(client_id: str) -> tuple[str, ...]:
        if client_id not in warned:
            client = clients.get(client_id)
            warned[client_id] = tuple(client_warnings(ws, client)) if client else ()
        return warned[client_id]

    sections: dict[str, list[TodayItem]] = {key: [] for key in SECTIONS}

    def add(section: str, kind: str, ref: str, client_id: str, title: str, **extra: Any) -> None:
        client = clients.get(client_id)
        sections[section].append(
            TodayItem(
                section=section,
                kind=kind,
                ref=ref,
                client_id=client_id,
                client_name=client.name if client else client_id,
                title=title,
                warnings=warnings(client_id),
                **extra,
            )
        )

    meeting_clients: set[str] = set()
    for doc in activity_docs:
        if doc.get("done_at") or not doc.get("due") or doc.get("kind") == ActivityKind.NOTE:
            continue
        activity = Activity.from_dict(doc)
        assert activity.due is not None
        day = local_day(activity.due, zone)
        kind = activity.kind.value
        title = f"{kind}: {activity.note}" if activity.note else kind
        common: dict[str, Any] = {"when": activity.due, "deal_id": activity.deal_id}
        if activity.recurrence is not None:
            if day <= today:
                add(
                    "reviews",
                    "activity",
                    activity.id,
                    activity.client_id,
                    title,
                    detail=_late(day, today) or f"repeats {activity.recurrence}",
                    **common,
                )
            elif activity.kind in _APPOINTMENTS and day == tomorrow:
                add("meetings", "activity", activity.id, activity.client_id, title, **common)
                meeting_clients.add(activity.client_id)
            continue
        if activity.kind in _APPOINTMENTS and day in (today, tomorrow):
            add(
                "meetings",
                "activity",
                activity.id,
                activity.client_id,
                title,
                **common,
            )
            meeting_clients.add(activity.client_id)
        elif day < today or (day == today and activity.overdue(now)):
            add(
                "overdue",
                "activity",
                activity.id,
                activity.client_id,
                title,
                detail=_late(day, today) or "earlier today",
                **common,
            )
        elif day == today:
            add(
                "due_today",
                "activity",
                activity.id,
                activity.client_id,
                title,
                **common,
            )

    for deal in deals:
        if not deal.is_open:
            continue
        for index, meeting in enumerate(deal.meetings):
            if meeting.held or meeting.planned_at is None:
                continue
            day = local_day(meeting.planned_at, zone)
            where = f" at {meeting.place}" if meeting.place else ""
            common = {"when": meeting.planned_at, "deal_id": deal.id, "index": index}
            if day in (today, tomorrow):
                add(
                    "meetings",
                    "deal-meeting",
                    deal.id,
                    deal.client_id,
                    f"meeting on {deal.title}{where}",
                    **common,
                )
                meeting_clients.add(deal.client_id)
            elif day < today:
                add(
                    "overdue",
                    "deal-meeting",
                    deal.id,
                    deal.client_id,
                    f"meeting on {deal.title}: not marked held",
                    detail=_late(day, today),
                    **common,
                )
        step_listed = False
        if deal.next_step and deal.next_step_due is not None and deal.next_step_due <= today:
            step_listed = True
            section = "overdue" if deal.next_step_due < today else "due_today"
            add(
                section,
                "next-step",
                deal.id,
                deal.client_id,
                f"{deal.title}: {deal.next_step}",
                when=deal.next_step_due,
                deal_id=deal.id,
                detail=_late(deal.next_step_due, today),
            )
        reasons = [
            r
            for r in deal.stall_reasons(now, ws.rules)
            if not (step_listed and r.startswith("next step overdue"))
        ]
        if reasons:
            add(
                "stalled",
                "deal",
                deal.id,
                deal.client_id,
                deal.title,
                detail="; ".join(reasons),
                deal_id=deal.id,
            )
        if deal.outcome is None and deal.expected_close is not None and deal.expected_close < today:
            add(
                "past_close",
                "deal",
                deal.id,
                deal.client_id,
                deal.title,
                when=deal.expected_close,
                deal_id=deal.id,
                detail=f"expected to close on {deal.expected_close.isoformat()}",
            )

    for offer in open_offers(ws.store.all("documents"), today):
        valid = offer["valid_until"]
        if valid is not None and today <= valid <= today + timedelta(days=EXPIRY_DAYS):
            left = (valid - today).days
            add(
                "expiring_offers",
                "offer",
                offer["id"],
                offer["client_id"],
                offer["label"],
                when=valid,
                deal_id=offer["deal_id"],
                detail="expires today" if left == 0 else f"expires in {left} day(s)",
            )

    last = last_contacts(activity_docs, deals, zone)
    for client in clients.values():
        if client.tier is not Tier.KEY:
            continue
        seen = last.get(client.id)
        if seen is None:
            if (today - local_day(client.created_at, zone)).days > dormant_days:
                add(
                    "dormant",
                    "client",
                    client.id,
                    client.id,
                    client.name,
                    detail="no contact recorded",
                )
        elif (today - seen).days > dormant_days:
            add(
                "dormant",
                "client",
                client.id,
                client.id,
                client.name,
                when=seen,
                detail=f"no contact for {(today - seen).days} days (limit {dormant_days})",
            )
    for client in clients.values():
        if client.tier is not Tier.KEY and client.id not in meeting_clients:
            continue
        reviewed = client.reliability.reviewed_on
        if reviewed is None or (today - reviewed).days > ws.review_limit_days:
            age = "never reviewed" if reviewed is None else f"{(today - reviewed).days} days old"
            add(
                "reviews",
                "reliability-review",
                client.id,
                client.id,
                f"reliability review of {client.name}",
                when=reviewed,
                detail=f"{age} (limit {ws.review_limit_days})",
            )

    for items in sections.values():
        items.sort(key=lambda item: _sort_key(item, zone))
    return TodayList(now=now, sections=sections)


def _late(day: date, today: date) -> str:
    days = (today - day).days
    return f"{days} day(s) overdue" if days > 0 else ""


def open_offers(docs: list[Doc], today: date) -> list[dict[str, Any]]:
    """Sent offers, read from raw documents defensively (the Document record is growing):
    id, client_id, deal_id, label, valid_until (a date or None) and whether it has expired."""
    found = []
    for doc in docs:
        if doc.get("kind") != "offer" or doc.get("status") != "sent":
            continue
        valid = _iso_date(doc.get("valid_until"))
        number = str(doc.get("number") or "")
        version = doc.get("version") or 1
        label = f"{number}@{version}" if number else str(doc.get("id"))
        title = doc.get("title")
        if title:
            label += f" {title}"
        found.append(
            {
                "id": str(doc.get("id")),
                "client_id": str(doc.get("client_id", "")),
                "deal_id": doc.get("deal_id"),
                "label": label,
                "valid_until": valid,
                "expired": valid is not None and valid < today,
                "total": _total(doc),
                "currency": doc.get("currency"),
            }
        )
    return found


def _total(doc: Doc) -> str | None:
    snapshot = doc.get("snapshot")
    if isinstance(snapshot, Mapping):
        totals = snapshot.get("totals")
        if isinstance(totals, Mapping) and totals.get("total") is not None:
            return str(totals["total"])
    return None


def _iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def last_contacts(
    activity_docs: list[Doc], deals: list[Deal], zone: tzinfo | None
) -> dict[str, date]:
    """The day of the latest contact with each client: done calls, meetings, e-mails, visits
    and presentations, a deal's logged calls and held meetings."""
    last: dict[str, date] = {}

    def seen(client_id: str, day: date) -> None:
        if client_id not in last or last[client_id] < day:
            last[client_id] = day

    for doc in activity_docs:
        done = doc.get("done_at")
        if done and doc.get("kind") in _CONTACT_KINDS:
            moment = _parse_moment(str(done))
            if moment is not None:
                seen(str(doc.get("client_id")), local_day(moment, zone))
    for deal in deals:
        for call in deal.calls:
            seen(deal.client_id, local_day(call.at, zone))
        for meeting in deal.meetings:
            if meeting.held and meeting.planned_at is not None:
                seen(deal.client_id, local_day(meeting.planned_at, zone))
    return last


def _parse_moment(text: str) -> date | datetime | None:
    try:
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None


# --- actions on a row ------------------------------------------------------------------------


@dataclass(frozen=True)
class Completed:
    done: Activity
    # The next occurrence a recurring activity scheduled, or None.
    following: Activity | None


def _change_activity(
    ws: Workspace,
    activity_id: str,
    expected_rev: int | None,
    change: Callable[[Activity, TransactionPort], Activity],
) -> Activity:
    with ws.store.transaction() as tx:
        activity = _load_activity(tx, activity_id)
        _check_rev("activity", activity.id, activity.rev, expected_rev)
        changed = change(activity, tx)
        stored = tx.update("activities", activity.id, changed.to_dict(), expected_rev=activity.rev)
    return Activity.from_dict(stored)


def _load_activity(tx: TransactionPort, activity_id: str) -> Activity:
    doc = tx.get("activities", activity_id.strip().upper())
    if doc is None:
        raise NotFoundError(f"activity {activity_id} does not exist")
    return Activity.from_dict(doc)


def _check_rev(noun: str, record_id: str, rev: int, expected: int | None) -> None:
    if expected is not None and rev != expected:
        raise ConflictError(
            f"{noun} {record_id} was changed elsewhere (revision {rev}, you had {expected}); "
            "reload it and try again"
        )


def complete_activity(
    ws: Workspace,
    activity_id: str,
    outcome: str,
    *,
    done_at: datetime | None = None,
    expected_rev: int | None = None,
) -> Completed:
    """Mark done with its outcome. A recurring activity schedules its next occurrence, in the
    same transaction: the first one after the later of its due and the day it was done, so a
    review done late is not followed by a backlog of missed ones."""
    from accmgr.domain.recurrence import next_occurrence

    now = ws.now()
    moment = done_at or now
    if moment > now:
        raise ValidationError("done_at", f"{moment.isoformat()} is in the future")
    with ws.store.transaction() as tx:
        activity = _load_activity(tx, activity_id)
        _check_rev("activity", activity.id, activity.rev, expected_rev)
        if activity.done:
            raise ValidationError(
                "activity", f"activity {activity.id} is already done ({activity.done_at})"
            )
        done = activity.evolve(done_at=moment, outcome=outcome.strip())
        stored = tx.update("activities", activity.id, done.to_dict(), expected_rev=activity.rev)
        following = None
        if activity.recurrence is not None and activity.due is not None:
            # Stored offsets are fixed; the user's zone keeps the wall time across DST.
            start = _in_zone(activity.series_start or activity.due, now.tzinfo)
            after: date | datetime
            if isinstance(activity.due, datetime):
                after = max(activity.due, moment).astimezone(now.tzinfo)
            else:
                after = max(activity.due, local_day(moment, now.tzinfo))
            due = next_occurrence(activity.recurrence, start, after)
            if due is not None:
                nxt = activity.evolve(
                    id=tx.new_id("activities"),
                    rev=0,
                    due=due,
                    done_at=None,
                    outcome="",
                    series_start=start,
                    created_at=now,
                )
                following = Activity.from_dict(tx.insert("activities", nxt.to_dict()))
    return Completed(Activity.from_dict(stored), following)


def _in_zone(value: date | datetime, zone: tzinfo | None) -> date | datetime:
    return value.astimezone(zone) if isinstance(value, datetime) else value


def _moved(activity: Activity, due: date | datetime) -> Activity:
    # Moving one occurrence keeps the series anchored where it started.
    anchor = activity.series_start
    if activity.recurrence is not None and anchor is None:
        anchor = activity.due
    return activity.evolve(due=due, series_start=anchor)


def snooze_activity(
    ws: Workspace, activity_id: str, to: str | date = "+1d", *, expected_rev: int | None = None
) -> Activity:
    """Move to another day (``+1d``, ``next mon``, ``3 Dec``…), keeping an appointment's time."""
    from accmgr.domain.dates import parse_date

    now = ws.now()
    day = (
        to
        if isinstance(to, date)
        else parse_date(to, today=now.date(), locale=ws.locale, field="to")
    )
    if day < now.date():
        raise ValidationError("to", f"{day.isoformat()} is in the past")

    def snooze(activity: Activity, tx: TransactionPort) -> Activity:
        _refuse_done(activity)
        due = activity.due
        if isinstance(due, datetime):
            wall = due.astimezone(now.tzinfo)
            return _moved(activity, _on_day(day, wall.time(), now.tzinfo))
        return _moved(activity, day)

    return _change_activity(ws, activity_id, expected_rev, snooze)


def _on_day(day: date, at: time, zone: tzinfo | None) -> datetime:
    # Through UTC and back: a wall time the clocks skip becomes the valid time after the gap.
    from datetime import UTC

    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).astimezone(zone)


def reschedule_activity(
    ws: Workspace,
    activity_id: str,
    when: str | date | datetime,
    *,
    expected_rev: int | None = None,
) -> Activity:
    """Set a new due: a date (all day) or a date and time."""
    from accmgr.domain.dates import parse_datetime

    now = ws.now()
    due = (
        parse_datetime(when, now=now, locale=ws.locale, field="when")
        if isinstance(when, str)
        else when
    )
    if (isinstance(due, datetime) and due < now) or (
        not isinstance(due, datetime) and due < now.date()
    ):
        raise ValidationError("when", f"{due.isoformat()} is in the past")

    def reschedule(activity: Activity, tx: TransactionPort) -> Activity:
        _refuse_done(activity)
        return _moved(activity, due)

    return _change_activity(ws, activity_id, expected_rev, reschedule)


def _refuse_done(activity: Activity) -> None:
    if activity.done:
        raise ValidationError("activity", f"activity {activity.id} is already done")


def _change_deal(
    ws: Workspace, deal_id: str, expected_rev: int | None, change: Callable[[Deal], Deal]
) -> Deal:
    with ws.store.transaction() as tx:
        doc = tx.get("deals", deal_id.strip().upper())
        if doc is None:
            raise NotFoundError(f"deal {deal_id} does not exist")
        deal = Deal.from_dict(doc)
        _check_rev("deal", deal.id, deal.rev, expected_rev)
        if not deal.is_open:
            raise ValidationError("deal", f"deal {deal.id} is closed; it has no next step")
        stored = tx.update("deals", deal.id, change(deal).to_dict(), expected_rev=deal.rev)
    return Deal.from_dict(stored)


def set_next_step(
    ws: Workspace, deal_id: str, step: str, due: str | date, *, expected_rev: int | None = None
) -> Deal:
    from accmgr.domain.dates import parse_date

    today = ws.today()
    day = (
        due
        if isinstance(due, date)
        else parse_date(due, today=today, locale=ws.locale, field="due")
    )
    if not step.strip():
        raise ValidationError("step", "expected what the next step is")
    if day < today:
        raise ValidationError("due", f"{day.isoformat()} is in the past")
    return _change_deal(
        ws, deal_id, expected_rev, lambda d: d.evolve(next_step=step.strip(), next_step_due=day)
    )


def complete_next_step(
    ws: Workspace, deal_id: str, outcome: str, *, expected_rev: int | None = None
) -> Deal:
    """The deal's next step is done: it is logged as a done task with its outcome, and the
    deal waits for a new next step (it shows as stalled until it has one)."""
    now = ws.now()
    with ws.store.transaction() as tx:
        doc = tx.get("deals", deal_id.strip().upper())
        if doc is None:
            raise NotFoundError(f"deal {deal_id} does not exist")
        deal = Deal.from_dict(doc)
        _check_rev("deal", deal.id, deal.rev, expected_rev)
        if not deal.next_step:
            raise ValidationError("deal", f"deal {deal.id} has no next step to complete")
        task = Activity(
            id=tx.new_id("activities"),
            kind=ActivityKind.TASK,
            client_id=deal.client_id,
            deal_id=deal.id,
            due=deal.next_step_due,
            done_at=now,
            outcome=outcome.strip(),
            note=deal.next_step,
            created_at=now,
        )
        tx.insert("activities", task.to_dict())
        changed = deal.evolve(next_step="", next_step_due=None)
        stored = tx.update("deals", deal.id, changed.to_dict(), expected_rev=deal.rev)
    return Deal.from_dict(stored)


def mark_meeting_held(
    ws: Workspace, deal_id: str, index: int, outcome: str, *, expected_rev: int | None = None
) -> Deal:
    """A deal's meeting took place: held, with its outcome notes."""

    def held(deal: Deal) -> Deal:
        if not 0 <= index < len(deal.meetings):
            raise NotFoundError(f"deal {deal.id} has no meeting {index + 1}")
        meetings = list(deal.meetings)
        meeting = meetings[index]
        if meeting.planned_at is not None and meeting.planned_at > ws.now():
            raise ValidationError("meeting", "the meeting has not started yet")
        meetings[index] = meeting.evolve(held=True, outcome_notes=outcome.strip())
        return deal.evolve(meetings=tuple(meetings))

    return _change_deal(ws, deal_id, expected_rev, held)


def done(ws: Workspace, item: TodayItem, outcome: str) -> object:
    """The row's "done" action, whatever the row is."""
    if item.kind == "activity":
        return complete_activity(ws, item.ref, outcome)
    if item.kind == "next-step":
        return complete_next_step(ws, item.ref, outcome)
    if item.kind == "deal-meeting" and item.index is not None:
        return mark_meeting_held(ws, item.ref, item.index, outcome)
    raise ValidationError("row", f"a {item.kind} row is done by acting on it, not by marking it")


def snooze(ws: Workspace, item: TodayItem, to: str | date = "+1d") -> object:
    """Snooze an activity, or push a deal's next step to another day."""
    if item.kind == "activity":
        return snooze_activity(ws, item.ref, to)
    if item.kind == "next-step":
        deal = ws.load("deals", Deal, item.ref)
        return set_next_step(ws, item.ref, deal.next_step, to, expected_rev=deal.rev)
    raise ValidationError("row", f"a {item.kind} row cannot be snoozed")
