"""Today's classification by the user's wall-clock day: midnight, month ends, DST changes."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accmgr.config import Config
from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import Tier
from accmgr.domain.deal import Meeting
from accmgr.errors import AccmgrError, ValidationError
from accmgr.services import activities, clients, deals, today, today_actions
from accmgr.services.workspace import Workspace

VILNIUS = ZoneInfo("Europe/Vilnius")
NEW_YORK = ZoneInfo("America/New_York")


def at(ws: Workspace, moment: datetime) -> Workspace:
    return dataclasses.replace(ws, clock=lambda: moment)


def refs(ws: Workspace, section: str) -> list[str]:
    return [item.ref for item in today.build_today(ws).sections[section]]


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Vilniaus Pakuotė UAB", tier=Tier.KEY)
    return workspace


def _call(ws: Workspace, due: date | datetime, kind: ActivityKind = ActivityKind.CALL) -> str:
    return activities.log_activity(ws, kind, "C-0001", due=due).id


def _meeting(ws: Workspace, planned: datetime) -> str:
    deal = deals.add_deal(ws, "C-0001", "Stretch film")
    changed = deal.evolve(
        meetings=(Meeting(planned_at=planned),),
        next_step="Send offer",
        next_step_due=date(2027, 1, 5),
    )
    return deals.save_deal(ws, changed).id


def test_around_midnight_in_vilnius(ws: Workspace) -> None:
    late = at(ws, datetime(2026, 11, 23, 23, 59, 30, tzinfo=VILNIUS))
    before = _call(late, datetime(2026, 11, 23, 23, 59, tzinfo=VILNIUS))
    after = _call(late, datetime(2026, 11, 24, 0, 0, 30, tzinfo=VILNIUS))
    # Stored in UTC: 22:30Z on the 23rd is 00:30 on the 24th on a Vilnius wall clock.
    utc_next_day = _call(late, datetime.fromisoformat("2026-11-23T22:30:00+00:00"))
    all_day = _call(late, date(2026, 11, 23))
    deal = _meeting(late, datetime.fromisoformat("2026-11-25T21:30:00+00:00"))  # 25th 23:30
    assert refs(late, "overdue") == [before]
    assert refs(late, "due_today") == [all_day]
    assert refs(late, "meetings") == []
    # One minute later it is the 24th: yesterday's items are overdue, the meeting is tomorrow.
    ws2 = at(ws, datetime(2026, 11, 24, 0, 1, tzinfo=VILNIUS))
    # The call due at 00:00:30 is already past, so overdue too; 00:30 is still to come.
    assert refs(ws2, "overdue") == [all_day, before, after]
    assert refs(ws2, "due_today") == [utc_next_day] and refs(ws2, "meetings") == [deal]
    assert set(refs(at(ws, datetime(2026, 11, 24, 0, 0, 10, tzinfo=VILNIUS)), "due_today")) == {
        after,
        utc_next_day,
    }


def test_month_end(ws: Workspace) -> None:
    now = at(ws, datetime(2026, 11, 30, 10, 0, tzinfo=VILNIUS))
    deal = _meeting(now, datetime(2026, 12, 1, 9, 0, tzinfo=VILNIUS))
    deals.save_deal(now, deals.get_deal(now, deal).evolve(expected_close=date(2026, 11, 29)))
    other = deals.add_deal(now, "C-0001", "Labels", expected_close=date(2026, 11, 30))
    with now.store.transaction() as tx:
        for n, valid in enumerate(("2026-12-07", "2026-12-08", "2026-11-29")):
            tx.insert(
                "documents",
                {
                    "id": tx.new_id("documents"),
                    "kind": "offer",
                    "status": "sent",
                    "client_id": "C-0001",
                    "deal_id": deal,
                    "valid_until": valid,
                    "number": f"OFR-2026-{n + 1:04d}",
                    "version": 1,
                },
            )
    assert refs(now, "meetings") == [deal]
    assert refs(now, "past_close") == [deal] and other.id not in refs(now, "past_close")
    assert refs(now, "expiring_offers") == ["DOC-0001"]
    row = today.build_today(now).sections["expiring_offers"][0]
    assert row.detail == "expires in 7 day(s)" and row.title == "OFR-2026-0001@1"


@pytest.mark.parametrize(
    ("now", "stored"),
    [
        # New York leaves daylight saving on 1 Nov 2026: 00:30-04:00 on the 2nd is 23:30 EST
        # on the 1st.
        (datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK), "2026-11-02T00:30:00-04:00"),
        # Vilnius leaves it on 25 Oct 2026: 23:30+03:00 on the 25th is 22:30 EET the same day.
        (datetime(2026, 10, 24, 23, 30, tzinfo=VILNIUS), "2026-10-25T23:30:00+03:00"),
    ],
)
def test_dst_change_counts_the_wall_clock_day(ws: Workspace, now: datetime, stored: str) -> None:
    here = at(ws, now)
    meeting = _call(here, datetime.fromisoformat(stored), ActivityKind.VISIT)
    assert refs(here, "meetings") == [meeting]
    day_after = at(ws, now + timedelta(days=2))
    assert refs(day_after, "overdue") == [meeting]


def test_completing_a_recurring_activity_schedules_the_next(ws: Workspace) -> None:
    review = activities.log_activity(
        ws,
        ActivityKind.MEETING,
        "C-0001",
        due=date(2026, 11, 1),
        recurrence="FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3",
    )
    assert refs(ws, "reviews")[0] == review.id
    done = today_actions.complete_activity(ws, review.id, "Volumes up 5 %")
    assert done.done.outcome == "Volumes up 5 %" and done.following is not None
    assert done.following.due == date(2026, 12, 1)
    assert done.following.series_start == date(2026, 11, 1)
    third = today_actions.complete_activity(ws, done.following.id, "ok").following
    assert third is not None and third.due == date(2027, 1, 1)
    assert today_actions.complete_activity(ws, third.id, "last").following is None  # COUNT=3
    with pytest.raises(AccmgrError, match="already done"):
        today_actions.complete_activity(ws, third.id, "again")


def test_recurring_appointment_keeps_its_wall_time_across_dst(ws: Workspace) -> None:
    ny = at(ws, datetime(2026, 10, 26, 11, 0, tzinfo=NEW_YORK))
    weekly = activities.log_activity(
        ny,
        ActivityKind.CALL,
        "C-0001",
        due=datetime(2026, 10, 26, 10, 0, tzinfo=NEW_YORK),
        recurrence="FREQ=WEEKLY",
    )
    following = today_actions.complete_activity(ny, weekly.id, "done").following
    assert following is not None
    assert following.due == datetime(2026, 11, 2, 10, 0, tzinfo=NEW_YORK)
    assert isinstance(following.due, datetime) and following.due.utcoffset() == timedelta(hours=-5)


def test_snooze_reschedule_and_next_step(ws: Workspace) -> None:
    call = _call(ws, datetime(2026, 11, 20, 15, 30, tzinfo=VILNIUS))
    snoozed = today_actions.snooze_activity(ws, call)
    assert snoozed.due == datetime(2026, 11, 24, 15, 30, tzinfo=VILNIUS)
    assert today_actions.snooze_activity(ws, call, "1 Dec").due == datetime(
        2026, 12, 1, 15, 30, tzinfo=VILNIUS
    )
    assert today_actions.reschedule_activity(ws, call, "2026-12-03").due == date(2026, 12, 3)
    with pytest.raises(ValidationError, match="in the past"):
        today_actions.snooze_activity(ws, call, "yesterday")
    deal = deals.add_deal(ws, "C-0001", "Boxes", value=Decimal(10))
    assert deal.id in refs(ws, "stalled")
    today_actions.set_next_step(ws, deal.id, "Call the buyer", "today")
    assert refs(ws, "due_today") == [deal.id] and deal.id not in refs(ws, "stalled")
    today_actions.complete_next_step(ws, deal.id, "Buyer wants samples")
    assert deals.get_deal(ws, deal.id).next_step == "" and deal.id in refs(ws, "stalled")


def test_dormant_key_clients(ws: Workspace) -> None:
    later = at(ws, datetime(2027, 1, 15, 10, 0, tzinfo=VILNIUS))
    assert today.build_today(later).sections["dormant"][0].detail == "no contact recorded"
    activities.log_activity(
        ws, ActivityKind.CALL, "C-0001", done_at=datetime(2026, 12, 5, 9, 0, tzinfo=VILNIUS)
    )
    assert refs(later, "dormant") == []
    assert today.build_today(later, dormant_days=30).sections["dormant"][0].detail == (
        "no contact for 41 days (limit 30)"
    )
    # The setting is the default; the argument (the CLI's --dormant-days) overrides it.
    strict = dataclasses.replace(later, settings=Config(dormant_days=30))
    assert refs(strict, "dormant") == ["C-0001"]
    assert today.build_today(strict, dormant_days=60).sections["dormant"] == []


def test_snooze_keeps_the_wall_time_across_dst_and_month_end(ws: Workspace) -> None:
    # Vilnius leaves daylight saving on Sun 25 Oct 2026: +03:00 before, +02:00 after.
    saturday = at(ws, datetime(2026, 10, 24, 8, 0, tzinfo=VILNIUS))
    call = _call(saturday, datetime(2026, 10, 24, 9, 0, tzinfo=VILNIUS))
    moved = today_actions.snooze_activity(saturday, call)
    assert moved.due == datetime(2026, 10, 25, 9, 0, tzinfo=VILNIUS)
    assert isinstance(moved.due, datetime) and moved.due.utcoffset() == timedelta(hours=2)
    assert refs(at(ws, datetime(2026, 10, 25, 8, 0, tzinfo=VILNIUS)), "due_today") == [call]
    # +1d from the last day of a month is the first of the next; all-day stays all-day.
    month_end = at(ws, datetime(2026, 11, 30, 18, 0, tzinfo=VILNIUS))
    task = _call(month_end, date(2026, 11, 30), ActivityKind.TASK)
    assert today_actions.snooze_activity(month_end, task).due == date(2026, 12, 1)
    assert refs(at(ws, datetime(2026, 12, 1, 0, 0, tzinfo=VILNIUS)), "due_today") == [task]
    assert today_actions.snooze_activity(month_end, task, "end of month").due == date(2026, 11, 30)


def test_every_stale_review_is_due(ws: Workspace) -> None:
    """A regular client with no meeting coming up and a review 393 or 215 days old is due too;
    a regular client never reviewed is not (each new prospect would be)."""
    from accmgr.domain.client import Rating
    from accmgr.services import reliability

    reliability.record_review(ws, "C-0001", Rating.B)  # the key client: fresh
    for name, age in (("Old Review Lda", 393), ("Older Review Lda", 215), ("Fresh Lda", 10)):
        client = clients.add_client(ws, name)
        reliability.record_review(ws, client.id, Rating.B, on=ws.today() - timedelta(days=age))
    clients.add_client(ws, "Never Reviewed Lda")
    assert refs(ws, "reviews") == ["C-0002", "C-0003"]
