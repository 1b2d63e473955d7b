"""The Today list's row actions as commands: an activity done, snoozed or rescheduled; a deal's
next step set or done; a deal's meeting held. They call the same services as the keys on the
Today screen, so a script can clear the list the way the KAM does."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING

from accmgr.errors import ValidationError

if TYPE_CHECKING:
    from accmgr.cli.parser import Subcommands
    from accmgr.services.workspace import Workspace

_HERE = "accmgr.cli.actions:"


def register(sub: Subcommands) -> None:
    from accmgr.cli.accounts import _existing

    activity = _existing(sub, "activity")
    done = activity.add_parser(
        "done", help="mark an activity done with its outcome; a recurring one schedules the next"
    )
    done.set_defaults(handler=_HERE + "activity_done")
    done.add_argument("id", metavar="ID")
    done.add_argument("--outcome", required=True, metavar="TEXT", help="what came of it")
    done.add_argument("--when", metavar="DATE", help="when it was done (default: now)")
    snooze = activity.add_parser("snooze", help="move an activity to another day, same time")
    snooze.set_defaults(handler=_HERE + "activity_snooze")
    snooze.add_argument("id", metavar="ID")
    snooze.add_argument(
        "--to", default="+1d", metavar="DATE", help="+1d (default), next mon, 3 Dec, …"
    )
    reschedule = activity.add_parser("reschedule", help="set a new date, or date and time")
    reschedule.set_defaults(handler=_HERE + "activity_reschedule")
    reschedule.add_argument("id", metavar="ID")
    reschedule.add_argument("when", metavar="WHEN", help='e.g. "3 Dec 14:30" or 2026-12-03')

    deal = _existing(sub, "deal")
    step = deal.add_parser("next-step", help="set what happens next on a deal and by when")
    step.set_defaults(handler=_HERE + "deal_next_step")
    step.add_argument("id", metavar="ID")
    step.add_argument("text", metavar="TEXT")
    step.add_argument("--due", required=True, metavar="DATE", help="+3d, next fri, 3 Dec, …")
    step_done = deal.add_parser(
        "step-done", help="the deal's next step is done: logged as a task with its outcome"
    )
    step_done.set_defaults(handler=_HERE + "deal_step_done")
    step_done.add_argument("id", metavar="ID")
    step_done.add_argument("--outcome", required=True, metavar="TEXT")
    held = deal.add_parser("held", help="meeting N of a deal (1 = first booked) took place")
    held.set_defaults(handler=_HERE + "deal_held")
    held.add_argument("id", metavar="ID")
    held.add_argument("number", metavar="N", type=int)
    held.add_argument("--outcome", required=True, metavar="TEXT", help="the meeting's notes")


def _moment(ws: Workspace, text: str, field: str) -> date | datetime:
    from accmgr.domain.dates import parse_datetime

    return parse_datetime(text, now=ws.now(), locale=ws.locale, field=field)


def _when(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if value is not None else "no date"


def activity_done(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.today_actions import complete_activity

    done_at = None
    if args.when is not None:
        moment = _moment(ws, args.when, "when")
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, ws.now().timetz())
        done_at = moment
    result = complete_activity(ws, args.id, args.outcome, done_at=done_at)
    print(f"{result.done.id} done")
    if result.following is not None:
        print(f"next occurrence {result.following.id} due {_when(result.following.due)}")
    return 0


def activity_snooze(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.today_actions import snooze_activity

    activity = snooze_activity(ws, args.id, args.to)
    print(f"{activity.id} snoozed to {_when(activity.due)}")
    return 0


def activity_reschedule(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.today_actions import reschedule_activity

    activity = reschedule_activity(ws, args.id, args.when)
    print(f"{activity.id} rescheduled to {_when(activity.due)}")
    return 0


def deal_next_step(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.today_actions import set_next_step

    deal = set_next_step(ws, args.id, args.text, args.due)
    print(f"{deal.id} next step: {deal.next_step} ({_when(deal.next_step_due)})")
    return 0


def deal_step_done(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.today_actions import complete_next_step

    deal = complete_next_step(ws, args.id, args.outcome)
    print(f"{deal.id} next step done; set the next one with 'accmgr deal next-step {deal.id}'")
    return 0


def deal_held(ws: Workspace, args: argparse.Namespace) -> int:
    from accmgr.services.today_actions import mark_meeting_held

    if args.number < 1:
        raise ValidationError("N", f"expected a meeting number of at least 1, got {args.number}")
    deal = mark_meeting_held(ws, args.id, args.number - 1, args.outcome)
    print(f"{deal.id} meeting {args.number} held")
    return 0
