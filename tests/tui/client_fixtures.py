"""A small fixed database for the clients list and the client screen: payments, a red flag,
complaints, contacts, deals, activities, an offer; the clock frozen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import (
    Channel,
    DecisionRole,
    FlagCategory,
    Rating,
    RevenueBand,
    Severity,
    Tier,
)
from accmgr.services import (
    account_plan,
    activities,
    catalog,
    clients,
    deals,
    documents,
    issuing,
    reliability,
)
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now


def fill(ws: Workspace) -> None:
    now, today = ws.now(), ws.today()
    clients.add_client(
        ws, "Kauno Baldai UAB", country="LT", tier=Tier.KEY, segment="Furniture",
        legal_name="UAB Kauno baldai", tax_id="LT100001", email="info@kaunobaldai.lt",
        tags=("fair",), language="en",
    )  # fmt: skip
    clients.add_client(ws, "Lisboa Têxteis Lda", country="PT", segment="Textiles", language="en")
    clients.add_client(ws, "Adria Foods", country="PL", segment="Food", currency="PLN")
    clients.add_contact(
        ws, "C-0001", "Jonas Petrauskas", title="CEO", role=DecisionRole.DECISION_MAKER,
        preferred_channel=Channel.PHONE, phone="+370 600 00000", email="jonas@kaunobaldai.lt",
    )  # fmt: skip
    clients.add_contact(ws, "C-0001", "Rasa Kazlauskienė", title="Buyer",
                        role=DecisionRole.INFLUENCER)  # fmt: skip
    for code, name in (("CHAIR-1", "Office chair"), ("DESK-2", "Standing desk"),
                       ("LAMP-3", "Desk lamp")):  # fmt: skip
        catalog.add_product(ws, code, name, unit_price=Decimal(180), currency="EUR",
                            tax_rate=Decimal(21))  # fmt: skip
    deals.add_deal(ws, "C-0001", "Office chairs", value=Decimal(45000),
                   next_step="Send samples", next_step_due=today + timedelta(days=2))  # fmt: skip
    deals.add_deal(ws, "C-0002", "Linen for hotels", value=Decimal(8000))
    deals.add_deal(ws, "C-0001", "Desks", value=Decimal(12000))
    activities.log_activity(ws, ActivityKind.CALL, "C-0001", deal_id="D-0001",
                            done_at=now - timedelta(days=3), outcome="Wants samples")  # fmt: skip
    activities.log_activity(ws, ActivityKind.MEETING, "C-0001",
                            done_at=now - timedelta(days=10), note="Visited the plant")  # fmt: skip
    activities.log_activity(ws, ActivityKind.TASK, "C-0001",
                            due=today + timedelta(days=5), note="Prepare the offer")  # fmt: skip
    activities.log_activity(ws, ActivityKind.CALL, "C-0002", done_at=now - timedelta(days=30))
    reliability.add_payment(ws, "C-0001", invoice="F-101", amount=Decimal(1200),
                            due=date(2026, 9, 1), paid=date(2026, 9, 11))  # fmt: skip
    reliability.add_payment(ws, "C-0001", invoice="F-102", amount=Decimal(800),
                            due=date(2026, 10, 1), paid=date(2026, 10, 1))  # fmt: skip
    reliability.add_payment(ws, "C-0001", invoice="F-103", amount=Decimal(450),
                            due=date(2026, 11, 13))  # fmt: skip
    reliability.add_flag(ws, "C-0001", FlagCategory.LATE_PAYMENTS, "Paid 10 days late",
                         raised_on=date(2026, 9, 12))  # fmt: skip
    reliability.record_review(ws, "C-0001", Rating.B, reviewer="Ana Ferreira",
                              on=date(2026, 10, 5), revenue_band=RevenueBand.SMALL,
                              credit_limit=Decimal(20000), payment_terms_days=30,
                              years_in_business=12)  # fmt: skip
    reliability.record_review(ws, "C-0002", Rating.A, on=date(2026, 11, 1))
    reliability.record_review(ws, "C-0003", Rating.A, on=date(2026, 11, 2))
    reliability.add_complaint(ws, "C-0001", "Two chairs arrived scratched",
                              severity=Severity.HIGH, deal_id="D-0001",
                              raised_on=date(2026, 11, 18))  # fmt: skip
    done = reliability.add_complaint(
        ws, "C-0001", "Invoice sent to the wrong address", severity=Severity.LOW,
        raised_on=date(2026, 10, 2),
    )  # fmt: skip
    reliability.escalate_complaint(ws, done.id, "Accounting")
    reliability.resolve_complaint(ws, done.id, "Invoice re-sent", on=date(2026, 10, 3))
    account_plan.edit_plan(ws, "C-0001", objectives="Equip the new Vilnius office",
                           strengths="Fast delivery", threats="IKEA Business")  # fmt: skip
    offer = documents.new_offer(ws, "D-0001", valid_until=today + timedelta(days=30))
    documents.add_line(ws, offer.id, "CHAIR-1", Decimal(250))
    # 54 450 EUR against a 20 000 limit: a stop warning, issued with a reason.
    issuing.issue(ws, offer.id, despite="framework deal approved by finance")


@pytest.fixture
def client_db(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    fill(ws)
    try:
        yield ws
    finally:
        store.close()
