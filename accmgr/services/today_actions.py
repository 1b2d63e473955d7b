"""The actions on a Today row: done, snooze, reschedule, the deal's next step.

Each is one transaction with an optional expected revision, so a row acted on after the CLI
or another terminal changed its record is refused rather than overwriting the change.
Completing a recurring activity schedules its next occurrence in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.deal import Deal
from accmgr.domain.field_merge import Side
from accmgr.errors import AccmgrError, ConflictError, NotFoundError, ValidationError
from accmgr.services.ports import TransactionPort
from accmgr.services.today import TodayItem, local_day
from accmgr.services.workspace import Workspace


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
        raise AccmgrError(f"activity {activity.id} is already done")


def _load_deal(tx: TransactionPort, deal_id: str, expected_rev: int | None) -> Deal:
    doc = tx.get("deals", deal_id.strip().upper())
    if doc is None:
        raise NotFoundError(f"deal {deal_id} does not exist")
    deal = Deal.from_dict(doc)
    _check_rev("deal", deal.id, deal.rev, expected_rev)
    return deal


def _change_deal(
    ws: Workspace, deal_id: str, expected_rev: int | None, change: Callable[[Deal], Deal]
) -> Deal:
    with ws.store.transaction() as tx:
        deal = _load_deal(tx, deal_id, expected_rev)
        if not deal.is_open:
            raise AccmgrError(f"deal {deal.id} is closed; it has no next step")
        stored = tx.update("deals", deal.id, change(deal).to_dict(), expected_rev=deal.rev)
    return Deal.from_dict(stored)


def set_next_step(
    ws: Workspace,
    deal_id: str,
    step: str,
    due: str | date,
    *,
    expected_rev: int | None = None,
    base: Deal | None = None,
    choices: Mapping[str, Side] | None = None,
) -> Deal:
    """Set a deal's next step. From a form, ``base`` is the deal as the form loaded it: a
    change made meanwhile is merged field by field, and a next step changed elsewhere to
    something else is an EditConflict until the user chose theirs or mine per field."""
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
    if base is not None:
        from accmgr.services.edits import edit_deal

        if not ws.load("deals", Deal, deal_id).is_open:
            raise AccmgrError(f"deal {base.id} is closed; it has no next step")
        changes = {"next_step": step.strip(), "next_step_due": day}
        return edit_deal(ws, deal_id, changes, base=base, choices=choices).record
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
        deal = _load_deal(tx, deal_id, expected_rev)
        if not deal.next_step:
            raise AccmgrError(f"deal {deal.id} has no next step to complete")
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
