"""What the Documents section and the document screen read: rows with names joined and the
status as of today, a document's detail, the company fields a PDF lacks, and the price-list
file check the import form relies on."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from accmgr.errors import ValidationError
from accmgr.services import catalog, clients, deals, documents, issuing
from accmgr.services.document_list import (
    document_detail,
    document_rows,
    missing_company_fields,
)
from accmgr.services.workspace import Workspace
from tests.conftest import frozen_now


def _offer(ws: Workspace, qty: str) -> str:
    draft = documents.new_offer(ws, "D-0001")
    documents.add_line(ws, draft.id, "CHAIR-1", Decimal(qty))
    return draft.id


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Kauno Baldai UAB", country="LT", currency="EUR")
    deals.add_deal(workspace, "C-0001", "Office chairs")
    catalog.add_product(
        workspace,
        "CHAIR-1",
        "Office chair",
        unit_price=Decimal(180),
        currency="EUR",
        tax_rate=Decimal(21),
    )
    return workspace


def test_rows_join_names_and_compute_expiry(ws: Workspace) -> None:
    past = replace(ws, clock=lambda: frozen_now() - timedelta(days=40))
    issuing.issue(past, _offer(past, "1"))
    issuing.issue(ws, _offer(ws, "2"))
    _offer(ws, "3")
    rows = document_rows(ws)
    assert [(r.ref, r.status.value, r.total) for r in rows] == [
        ("OFR-2026-0002@1", "sent", "435.60"),
        ("OFR-2026-0001@1", "expired", "217.80"),
        ("DOC-0003", "draft", "653.40"),
    ]
    assert rows[0].client == "Kauno Baldai UAB" and rows[0].deal == "Office chairs"
    assert "kauno" in rows[0].haystack


def test_detail_knows_the_previous_version_and_the_contract(ws: Workspace) -> None:
    first = issuing.issue(ws, _offer(ws, "1"))
    second = issuing.issue(ws, issuing.revise(ws, first.number).id)
    detail = document_detail(ws, second.ref)
    assert detail.previous_id == first.id and detail.is_latest
    assert detail.data["totals"]["total"] == second.snapshot["totals"]["total"]
    assert not document_detail(ws, first.id).is_latest
    issuing.accept(ws, second.ref)
    contract = issuing.contract_from_offer(ws, second.ref)
    assert document_detail(ws, second.id).contract_number == contract.number


def test_missing_company_fields() -> None:
    assert missing_company_fields({"name": "ACME", "address": " ", "tax_id": "", "bank": "X"}) == [
        "address",
        "tax id",
    ]


def test_price_list_file_must_exist_and_be_utf8(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        catalog.read_price_list_file(tmp_path / "nope.csv")
    with pytest.raises(ValidationError, match="expected a file"):
        catalog.read_price_list_file(tmp_path)
    latin1 = tmp_path / "l.csv"
    latin1.write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(ValidationError, match="expected UTF-8 text, byte 4 is not"):
        catalog.read_price_list_file(latin1)
    good = tmp_path / "g.csv"
    good.write_text("code,name\n", encoding="utf-8")
    assert catalog.read_price_list_file(good) == "code,name\n"
