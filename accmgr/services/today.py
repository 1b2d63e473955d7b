"""The Today list: what wants the key-account manager's attention, by section.

Every moment is classified by its calendar day in the user's time zone (the workspace
clock's), not by the offset it was stored with: a meeting stored at 00:30+02:00 before a
daylight-saving change is still the day the user sees on the wall clock. Rows appear in one
section only, so a KAM never works the same item twice. The actions on a row are in
``today_actions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.client import Client, Tier
from accmgr.domain.deal import Deal
from accmgr.services.ports import Doc
from accmgr.services.workspace import Workspace

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


def build_today(ws: Workspace, *, dormant_days: int | None = None) -> TodayList:
    """Everything that wants the KAM's attention today, by section. A key client is dormant
    after ``dormant_days`` without contact (default: the ``today.dormant_days`` setting)."""
    from accmgr.domain.reliability import review_due
    from accmgr.services.reliability import client_warnings

    if dormant_days is None:
        dormant_days = ws.settings.dormant_days

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
        reviewed = client.reliability.reviewed_on
        # Every stale review is due; a client never reviewed is due once it matters (a key
        # client, or one we are about to meet), else each new prospect would flood the list.
        if reviewed is None and client.tier is not Tier.KEY and client.id not in meeting_clients:
            continue
        if review_due(client.reliability, today, ws.review_limit_days):
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
