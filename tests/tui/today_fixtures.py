"""A small fixed Today, shared by the Today and brief screen tests: one row in most groups,
a key client with a red flag meeting us tomorrow, and the clock frozen on Mon 23 Nov 2026."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import DecisionRole, FlagCategory, Tier
from accmgr.services import activities, clients, deals, reliability
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=frozen_now().tzinfo)


def fill_today(ws: Workspace) -> None:
    today = ws.today()
    clients.add_client(ws, "Porto Metais SA", country="PT", tier=Tier.KEY, industry="Metals")
    clients.add_client(ws, "Kauno Baldai UAB", country="LT")
    reliability.add_flag(ws, "C-0001", FlagCategory.LATE_PAYMENTS, "Paid 60 days late twice")
    buyer = clients.add_contact(
        ws, "C-0001", "Rui Costa", role=DecisionRole.DECISION_MAKER, title="CFO"
    )
    call = ActivityKind.CALL
    yesterday = today - timedelta(days=1)
    # A-0001 overdue, A-0002 due today, A-0003 a meeting tomorrow, A-0004 a monthly review.
    activities.log_activity(ws, call, "C-0002", due=at(yesterday, 9), note="Call back about desks")
    activities.log_activity(ws, ActivityKind.TASK, "C-0002", due=today, note="Send the catalogue")
    activities.log_activity(
        ws, ActivityKind.MEETING, "C-0001", due=at(today + timedelta(days=1), 10),
        note="Quarterly review", contact_ids=(buyer.id,),
    )  # fmt: skip
    activities.log_activity(
        ws, ActivityKind.TASK, "C-0001", due=date(2026, 11, 1), note="Account review",
        recurrence="FREQ=MONTHLY;BYMONTHDAY=1",
    )  # fmt: skip
    activities.log_activity(
        ws, call, "C-0001", done_at=at(today - timedelta(days=3), 15), note="Asked for prices",
        outcome="Wants a volume discount",
    )  # fmt: skip
    deals.add_deal(ws, "C-0001", "Steel beams", value=Decimal(42000))
    sd.set_next_step(ws, "D-0001", "Send the revised offer", today - timedelta(days=2))
    deals.add_deal(ws, "C-0002", "Office desks", value=Decimal(9000))


@pytest.fixture
def today_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("ACCMGR_CONFIG", str(tmp_path / "config"))
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    fill_today(ws)
    try:
        yield ws
    finally:
        store.close()
