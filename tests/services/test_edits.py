"""Editing every record through one service: validated, all or nothing, never a silent overwrite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import Tier
from accmgr.domain.deal import Deal, LeadSource
from accmgr.errors import ConflictError, NotFoundError, ValidationError
from accmgr.services import activities, catalog, clients, deals, edits
from accmgr.services.workspace import Workspace


def test_a_new_client_takes_language_and_currency_from_its_country(workspace: Workspace) -> None:
    ws = workspace
    assert (clients.add_client(ws, "Kauno", country="lt").language, "EUR") == ("lt", "EUR")
    polish = clients.add_client(ws, "Adria", country="PL")
    assert (polish.language, polish.currency) == ("pl", "PLN")
    swiss = clients.add_client(ws, "Zürich AG", country="CH")  # German: no document texts
    assert (swiss.language, swiss.currency) == ("en", "CHF")
    given = clients.add_client(ws, "Braga", country="PT", language="en", currency="USD")
    assert (given.language, given.currency) == ("en", "USD")
    with pytest.raises(ValidationError, match=r"client\.country"):
        clients.add_client(ws, "Nowhere", country="Atlantis")


def test_client_edit_reports_each_changed_field_and_validates(workspace: Workspace) -> None:
    ws = workspace
    client = clients.add_client(ws, "Kauno Baldai", country="LT")
    result = edits.edit_client(
        ws, client.id, {"tier": Tier.KEY, "owner": "Rui Costa", "tags": ("fair",), "name": "Kauno"}
    )
    assert result.describe() == [
        "name: 'Kauno Baldai' → 'Kauno'",
        "tier: regular → key",
        "owner: 'Ana Ferreira' → 'Rui Costa'",
        "tags: none → 'fair'",
    ]
    assert clients.get_client(ws, client.id) == result.record and result.record.rev == 2
    again = edits.edit_client(ws, client.id, {"tier": "key", "name": "Kauno"})
    assert again.changes == () and again.describe() == ["nothing changed"]
    assert clients.get_client(ws, client.id).rev == 2  # nothing written
    with pytest.raises(ValidationError, match=r"client\.currency"):
        edits.edit_client(ws, client.id, {"currency": "EURO", "name": "Other"})
    with pytest.raises(ValidationError, match="created at"):
        edits.edit_client(ws, client.id, {"created_at": ws.now()})
    assert clients.get_client(ws, client.id) == result.record
    with pytest.raises(NotFoundError, match="client C-0042 does not exist"):
        edits.edit_client(ws, "C-0042", {"name": "X"})


def test_deal_edit_probability_back_to_the_stage_default(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno", country="LT")
    deal = deals.add_deal(ws, "C-0001", "Chairs", probability_override=Decimal(40))
    result = edits.edit_deal(
        ws,
        deal.id,
        {
            "probability_override": None,
            "expected_close": date(2027, 1, 15),
            "source": LeadSource.FAIR,
            "value": Decimal("1200.50"),
        },
    )
    assert result.describe() == [
        "value: 0 → 1200.50",
        "expected close: none → 2027-01-15",
        "probability: 40 % → stage default",
        "source: other → fair",
    ]
    assert result.record.probability(ws.rules) == ws.rules[deal.stage].default_probability
    with pytest.raises(ValidationError, match="value"):
        edits.edit_deal(ws, deal.id, {"currency": "JPY"})  # 1200.50 has no yen form
    with pytest.raises(ValidationError, match="probability_override"):
        edits.edit_deal(ws, deal.id, {"probability_override": Decimal(120)})
    assert deals.get_deal(ws, deal.id) == result.record


def test_an_edit_from_a_stale_read_is_refused_by_revision(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno")
    deal = deals.add_deal(ws, "C-0001", "Chairs")
    edits.edit_deal(ws, deal.id, {"title": "Desks"})
    with pytest.raises(ConflictError, match="changed elsewhere"):
        edits.edit_deal(ws, deal.id, {"title": "Lamps"}, expected_rev=deal.rev)
    assert deals.get_deal(ws, deal.id).title == "Desks"


def test_a_form_edit_merges_with_a_change_made_meanwhile(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno")
    loaded = deals.add_deal(ws, "C-0001", "Chairs", value=Decimal(100))
    edits.edit_deal(ws, loaded.id, {"value": Decimal(150), "owner": "Rui"})  # elsewhere
    merged = edits.edit_deal(ws, loaded.id, {"title": "Chairs, 40 pcs"}, base=loaded).record
    assert (merged.title, merged.value, merged.owner) == ("Chairs, 40 pcs", Decimal(150), "Rui")

    with pytest.raises(edits.EditConflict) as refused:
        edits.edit_deal(ws, loaded.id, {"owner": "Eva", "next_step": "Call"}, base=loaded)
    conflict = refused.value.conflicts
    assert [(c.field, c.theirs, c.mine) for c in conflict] == [("owner", "Rui", "Eva")]
    assert deals.get_deal(ws, loaded.id) == merged  # nothing written
    kept = edits.edit_deal(
        ws, loaded.id, {"owner": "Eva", "next_step": "Call"}, base=loaded,
        choices={"owner": "mine"},
    ).record  # fmt: skip
    assert (kept.owner, kept.next_step, kept.title) == ("Eva", "Call", "Chairs, 40 pcs")


def test_activity_edit_takes_only_the_clients_contacts(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno")
    clients.add_client(ws, "Adria")
    jonas = clients.add_contact(ws, "C-0001", "Jonas")
    stranger = clients.add_contact(ws, "C-0002", "Marta")
    call = activities.log_activity(ws, ActivityKind.CALL, "C-0001", done_at=ws.now())
    result = edits.edit_activity(
        ws, call.id, {"kind": ActivityKind.VISIT, "contact_ids": (jonas.id,), "outcome": "ok"}
    )
    assert result.describe() == [
        "kind: call → visit",
        "contacts: none → 'P-0001'",
        "outcome: '' → 'ok'",
    ]
    assert result.record.contact_ids == (jonas.id,) and result.record.kind == ActivityKind.VISIT
    with pytest.raises(ValidationError, match="is a contact of C-0002"):
        edits.edit_activity(ws, call.id, {"contact_ids": (stranger.id,)})
    with pytest.raises(NotFoundError, match="contact P-0099"):
        edits.edit_activity(ws, call.id, {"contact_ids": ("P-0099",)})


def test_product_edit_keeps_the_price_within_the_currency(workspace: Workspace) -> None:
    ws = workspace
    catalog.add_product(
        ws, "BOX-40", "Box", unit_price=Decimal("12.50"), currency="EUR", tax_rate=Decimal(21)
    )
    result = edits.edit_product(ws, "box-40", {"tax_rate": Decimal(23), "name": "Box 40"})
    assert result.describe() == ["name: 'Box' → 'Box 40'", "tax rate: 21 % → 23 %"]
    with pytest.raises(ValidationError, match="price"):
        edits.edit_product(ws, "BOX-40", {"currency": "JPY"})


def test_every_editable_deal_field_is_a_field_of_the_deal() -> None:
    assert set(edits.DEAL_FIELDS) <= set(Deal.model_fields)


def test_a_value_typed_back_as_loaded_is_no_change_of_mine(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kauno")
    loaded = deals.add_deal(ws, "C-0001", "Chairs", value=Decimal(45000))
    edits.edit_deal(ws, loaded.id, {"value": Decimal(50000)})  # elsewhere
    # A form reads 45000 back as 45000.00: the same amount, so theirs stands, unasked.
    form = {"title": "Desk chairs", "value": Decimal("45000.00")}
    merged = edits.edit_deal(ws, loaded.id, form, base=loaded).record
    assert (merged.title, merged.value) == ("Desk chairs", Decimal(50000))
