"""The account plan: objectives and SWOT edited in place, whitespace computed from offers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accmgr.errors import ConflictError, ValidationError
from accmgr.services import account_plan, catalog, clients, deals, documents, issuing
from accmgr.services.workspace import Workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Kauno Baldai UAB", country="LT")
    for code, name in (("CHAIR-1", "Office chair"), ("DESK-2", "Desk"), ("LAMP-3", "Lamp")):
        catalog.add_product(
            workspace, code, name, unit_price=Decimal(10), currency="EUR", tax_rate=Decimal(21)
        )
    deals.add_deal(workspace, "C-0001", "Office")
    return workspace


def test_edit_plan_keeps_parts_not_given_and_drops_blank_lines(ws: Workspace) -> None:
    client = account_plan.edit_plan(
        ws, "C-0001", objectives="Grow to 100k\n\n  Win the Riga office  \n", threats=["IKEA"]
    )
    plan = account_plan.plan_of(client)
    assert plan.objectives == ("Grow to 100k", "Win the Riga office")
    assert plan.threats == ("IKEA",)
    client = account_plan.edit_plan(ws, "c-0001", strengths=["Fast delivery"])
    plan = account_plan.plan_of(clients.get_client(ws, "C-0001"))
    assert plan.objectives == ("Grow to 100k", "Win the Riga office")
    assert plan.strengths == ("Fast delivery",)


def test_edit_plan_refusals_write_nothing(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="expected one of objectives"):
        account_plan.edit_plan(ws, "C-0001", goals="x")
    with pytest.raises(ValidationError, match="at most 500"):
        account_plan.edit_plan(ws, "C-0001", objectives="x" * 501)
    with pytest.raises(ConflictError):
        account_plan.edit_plan(ws, "C-0001", objectives="x", expected_rev=7)
    assert clients.get_client(ws, "C-0001").account_plan is None


def test_whitespace_is_active_products_not_on_live_offers(ws: Workspace) -> None:
    assert [p.code for p in account_plan.whitespace(ws, "C-0001")] == [
        "CHAIR-1",
        "DESK-2",
        "LAMP-3",
    ]
    offer = documents.new_offer(ws, "D-0001")
    documents.add_line(ws, offer.id, "chair-1", Decimal(5))
    issuing.issue(ws, offer.id)
    assert [p.code for p in account_plan.whitespace(ws, "C-0001")] == ["DESK-2", "LAMP-3"]
    catalog.set_active(ws, "LAMP-3", False)
    assert [p.code for p in account_plan.whitespace(ws, "C-0001")] == ["DESK-2"]
    # A rejected offer: the client does not buy its products.
    issuing.reject(ws, offer.id)
    assert [p.code for p in account_plan.whitespace(ws, "C-0001")] == ["CHAIR-1", "DESK-2"]
