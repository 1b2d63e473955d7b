"""The clients list's rows and editing a contact."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import Channel, DecisionRole, FlagCategory
from accmgr.domain.deal import CallOutcome, LostReason
from accmgr.errors import ConflictError, ValidationError
from accmgr.services import activities, clients, deals, reliability
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace


def test_client_rows_sum_open_deals_find_last_contact_and_warnings(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno Baldai UAB", country="LT", tags=("fair",), tax_id="LT123")
    clients.add_client(ws, "Adria Foods", country="PL")
    deals.add_deal(ws, "C-0001", "Chairs", value=Decimal(100))
    deals.add_deal(ws, "C-0001", "Desks", value=Decimal(50))
    deals.add_deal(ws, "C-0001", "Lamps", value=Decimal(7), currency="PLN")
    lost = deals.add_deal(ws, "C-0001", "Old", value=Decimal(999))
    deals.lose_deal(ws, lost.id, reason=LostReason.PRICE, note="too dear")
    activities.log_activity(ws, ActivityKind.CALL, "C-0001", done_at=ws.now() - timedelta(days=10))
    activities.log_activity(ws, ActivityKind.TASK, "C-0001", done_at=ws.now())  # not a contact
    sd.record_call(
        ws, "D-0001", at=ws.now() - timedelta(days=3), who="Jonas",
        outcome=CallOutcome.CALL_BACK,
    )  # fmt: skip
    reliability.add_flag(ws, "C-0002", FlagCategory.OTHER, "Owner changed")
    adria, kauno = clients.client_rows(ws)
    assert (adria.name, kauno.name) == ("Adria Foods", "Kauno Baldai UAB")
    assert kauno.open_deals == 3
    assert kauno.open_value == (("EUR", Decimal(150)), ("PLN", Decimal(7)))
    assert kauno.last_contact == date(2026, 11, 20)
    assert adria.last_contact is None and adria.open_deals == 0
    assert adria.warnings[0] == "open red flag (other): Owner changed"
    assert "fair" in kauno.haystack and "lt123" in kauno.haystack


def test_edit_contact(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno Baldai UAB")
    contact = clients.add_contact(ws, "C-0001", "Jonas")
    changed = clients.edit_contact(
        ws, contact.id, role=DecisionRole.CHAMPION, preferred_channel=Channel.PHONE,
        email="JONAS@kb.lt", expected_rev=contact.rev,
    )  # fmt: skip
    assert clients.contacts_of(ws, "C-0001") == [changed]
    assert (changed.role, changed.preferred_channel, changed.email) == (
        DecisionRole.CHAMPION,
        Channel.PHONE,
        "jonas@kb.lt",
    )
    with pytest.raises(ValidationError, match="e-mail"):
        clients.edit_contact(ws, contact.id, email="nope")
    with pytest.raises(ConflictError):
        clients.edit_contact(ws, contact.id, name="J", expected_rev=contact.rev)
    assert clients.contacts_of(ws, "C-0001") == [changed]
