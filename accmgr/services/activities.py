"""Logging and listing activities; completing a recurring one schedules its next occurrence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.common import as_date
from accmgr.errors import NotFoundError, ValidationError
from accmgr.services.workspace import Workspace


def log_activity(
    ws: Workspace,
    kind: ActivityKind,
    client_id: str,
    *,
    deal_id: str | None = None,
    done_at: date | datetime | None = None,
    due: date | datetime | None = None,
    note: str = "",
    **fields: Any,
) -> Activity:
    """Record an activity: done (``done_at``), planned (``due``), or both."""
    with ws.store.transaction() as tx:
        if tx.get("clients", client_id) is None:
            raise NotFoundError(f"client {client_id} does not exist")
        if deal_id is not None:
            deal = tx.get("deals", deal_id)
            if deal is None:
                raise NotFoundError(f"deal {deal_id} does not exist")
            if deal["client_id"] != client_id:
                raise ValidationError(
                    "deal", f"deal {deal_id} belongs to client {deal['client_id']}, not {client_id}"
                )
        activity = Activity(
            id=tx.new_id("activities"),
            kind=kind,
            client_id=client_id,
            deal_id=deal_id,
            due=due,
            done_at=done_at,
            note=note,
            created_at=ws.now(),
            **fields,
        )
        stored = tx.insert("activities", activity.to_dict())
    return Activity.from_dict(stored)


def list_activities(
    ws: Workspace,
    *,
    client_id: str | None = None,
    due_before: date | None = None,
    include_done: bool = True,
) -> list[Activity]:
    """Activities, soonest first (undated last). ``due_before`` keeps open items due before it."""
    docs = (
        ws.store.find("activities", client_id=client_id)
        if client_id
        else ws.store.all("activities")
    )
    if due_before is not None:
        cutoff = due_before.isoformat()
        # Filter on the stored ISO text first: converting 50,000 records to find a few is waste.
        docs = [d for d in docs if d.get("due") and d["due"][:10] < cutoff and not d.get("done_at")]
    activities = [Activity.from_dict(doc) for doc in docs]
    if not include_done:
        activities = [a for a in activities if not a.done]
    return sorted(activities, key=_order)


def _order(activity: Activity) -> tuple[int, str, str]:
    moment = activity.due or activity.done_at
    if moment is None:
        return (1, "", activity.id)
    return (0, as_date(moment).isoformat() + _time_key(moment), activity.id)


def _time_key(moment: date | datetime) -> str:
    # All-day items sort before appointments of the same day.
    return f"T{moment.isoformat()}" if isinstance(moment, datetime) else ""
