"""Merging two clients keeps every record of both; likely duplicates are found."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accmgr.domain.activity import ActivityKind
from accmgr.domain.client import FlagCategory
from accmgr.errors import NotFoundError, ValidationError
from accmgr.services import activities, clients, deals, merge, reliability
from accmgr.services.workspace import Workspace


def test_merge_keeps_every_record(workspace: Workspace) -> None:
    ws = workspace
    keep = clients.add_client(ws, "Žalgiris Logistika UAB", tax_id="LT100001234567")
    other = clients.add_client(ws, "Zalgiris Logistika", email="info@zalgiris.lt", tags=("fair",))
    referred = clients.add_client(ws, "Referred Co", referred_by=other.id)
    for client in (keep, other):
        clients.add_contact(ws, client.id, f"Person of {client.id}")
        deal = deals.add_deal(ws, client.id, f"Deal of {client.id}")
        activities.log_activity(ws, ActivityKind.CALL, client.id, deal_id=deal.id)
        reliability.add_payment(
            ws, client.id, invoice="F-1", amount=Decimal(1), due=date(2026, 1, 1)
        )
        reliability.add_complaint(ws, client.id, f"Complaint of {client.id}")
    reliability.add_flag(ws, other.id, FlagCategory.OTHER, "Changed owner")
    with ws.store.transaction() as tx:
        tx.insert(
            "documents",
            {"id": tx.new_id("documents"), "kind": "offer", "client_id": other.id, "new_field": 1},
        )
    before = {
        t: ws.store.count(t) for t in ("contacts", "deals", "activities", "documents", "complaints")
    }

    dupes = merge.find_duplicates(ws, "ZALGIRIS LOGISTIKA, UAB", "100001234567", "a@zalgiris.lt")
    assert [d.client.id for d in dupes] == [keep.id, other.id]
    assert "same tax id LT100001234567" in dupes[0].reasons

    result = merge.merge_clients(ws, keep.id, other.id)
    assert result.moved == {
        "contacts": 1,
        "deals": 1,
        "activities": 1,
        "documents": 1,
        "complaints": 1,
    }
    assert {t: ws.store.count(t) for t in before} == before
    for table in before:
        assert {d["client_id"] for d in ws.store.all(table)} == {keep.id}
    assert ws.store.get("documents", "DOC-0001")["new_field"] == 1  # type: ignore[index]
    merged = clients.get_client(ws, keep.id)
    assert merged.email == "info@zalgiris.lt" and merged.tags == ("fair",)
    assert [p.invoice for p in merged.reliability.payments] == ["F-1", f"F-1 ({other.id})"]
    assert [f.note for f in merged.reliability.red_flags] == ["Changed owner"]
    assert merged.merged_from[0].id == other.id and "Merged C-0002" in merged.notes[-1].text
    assert clients.get_client(ws, referred.id).referred_by == keep.id
    with pytest.raises(NotFoundError):
        clients.get_client(ws, other.id)
    assert clients.add_client(ws, "New").id == "C-0004"  # the merged id is never reused
    # The old name still finds the kept client.
    assert [d.client.id for d in merge.find_duplicates(ws, "Zalgiris Logistika")] == [keep.id]


def test_merge_refusals_write_nothing(workspace: Workspace) -> None:
    clients.add_client(workspace, "One")
    version = workspace.store.version
    with pytest.raises(ValidationError, match="into itself"):
        merge.merge_clients(workspace, "C-0001", "c-0001")
    with pytest.raises(NotFoundError, match="C-0009"):
        merge.merge_clients(workspace, "C-0001", "C-0009")
    assert workspace.store.version == version


def test_free_mail_domains_are_no_evidence(workspace: Workspace) -> None:
    clients.add_client(workspace, "Alpha Kft.", email="alpha@gmail.com")
    assert merge.find_duplicates(workspace, "Beta Lda", email="beta@gmail.com") == []
    assert merge.normalise_name("Łódzkie Żurawie Sp. z o.o.") == "lodzkie zurawie"


def test_merge_preview_counts_what_moves(workspace: Workspace) -> None:
    ws = workspace
    clients.add_client(ws, "Kept Co")
    clients.add_client(ws, "Other Co")
    clients.add_contact(ws, "C-0002", "Rasa")
    deals.add_deal(ws, "C-0002", "Chairs")
    reliability.add_payment(ws, "C-0002", invoice="F-1", amount=Decimal(1), due=date(2026, 1, 1))
    preview = merge.merge_preview(ws, "C-0001", "c-0002")
    assert preview.describe() == "1 contacts, 1 deals, 1 payments"
    with pytest.raises(ValidationError, match="into itself"):
        merge.merge_preview(ws, "C-0001", "C-0001")
