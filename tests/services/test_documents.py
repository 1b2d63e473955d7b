"""Offers and contracts: numbers, versions, statuses, immutability, one currency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from accmgr.domain.document import DocumentKind, DocumentLine, DocumentStatus
from accmgr.errors import ConflictError, ValidationError
from accmgr.services import catalog, clients, deals, documents, issuing
from accmgr.services.documents import DocumentRefused
from accmgr.services.workspace import Workspace
from tests.conftest import frozen_now


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    clients.add_client(workspace, "Lisboa Embalagens Lda", country="PT", currency="EUR",
                       language="pt", legal_name="Lisboa Embalagens, Lda.")  # fmt: skip
    deals.add_deal(workspace, "C-0001", "Boxes for 2027")
    for code, price, currency, tax in (("BOX", "12.50", "EUR", 23), ("TAPE", "3.99", "EUR", 6),
                                       ("YEN", "500", "JPY", 10)):  # fmt: skip
        catalog.add_product(workspace, code, code.title(), unit_price=Decimal(price),
                            currency=currency, tax_rate=Decimal(tax))  # fmt: skip
    return workspace


def draft(ws: Workspace, qty: str = "10") -> str:
    doc = documents.new_offer(ws, "D-0001")
    documents.add_line(ws, doc.id, "box", Decimal(qty))
    return doc.id


def at(ws: Workspace, moment: datetime) -> Workspace:
    return replace(ws, clock=lambda: moment)


def test_a_draft_takes_the_clients_language_currency_and_catalog_price(ws: Workspace) -> None:
    doc = documents.get_document(ws, draft(ws))
    assert (doc.id, doc.language, doc.currency, doc.title) == ("DOC-0001", "pt", "EUR",
                                                                "Boxes for 2027")  # fmt: skip
    assert doc.lines[0].unit_price == Decimal("12.50") and doc.lines[0].tax_rate == 23
    assert doc.number == "" and doc.status is DocumentStatus.DRAFT


def test_one_currency_per_document(ws: Workspace) -> None:
    doc_id = draft(ws)
    with pytest.raises(DocumentRefused, match="one currency"):
        documents.add_line(ws, doc_id, "YEN", Decimal(1))
    with pytest.raises(DocumentRefused, match="one currency"):
        documents.set_terms(ws, doc_id, currency="JPY")
    assert len(documents.get_document(ws, doc_id).lines) == 1


def test_lines_are_refused_beside_their_field(ws: Workspace) -> None:
    doc_id = draft(ws)
    with pytest.raises(ValidationError) as refused:
        documents.add_line(ws, doc_id, "TAPE", Decimal(0))
    assert refused.value.field == "line 2: quantity"
    with pytest.raises(ValidationError) as refused:
        documents.add_line(ws, doc_id, "TAPE", Decimal(1), discount=Decimal(101))
    assert refused.value.field == "line 2: discount"
    with pytest.raises(ValidationError) as refused:
        documents.add_line(ws, doc_id, "TAPE", Decimal(1), unit_price=Decimal("1.005"))
    assert refused.value.field == "line 2: unit price"
    with pytest.raises(ValidationError, match="from 1 to 1"):
        documents.remove_line(ws, doc_id, 2)


def test_issue_numbers_dates_and_snapshot(ws: Workspace) -> None:
    ws = replace(ws, settings=replace(ws.settings, company_name="Nordic Pack UAB"))
    doc = issuing.issue(ws, draft(ws))
    assert (doc.number, doc.issued_on, doc.valid_until, doc.status) == (
        "OFR-2026-0001", date(2026, 11, 23), date(2026, 12, 23), DocumentStatus.SENT)  # fmt: skip
    snap = doc.snapshot
    assert snap["number"] == "OFR-2026-0001" and snap["company"]["name"] == "Nordic Pack UAB"
    assert snap["client"]["legal_name"] == "Lisboa Embalagens, Lda."
    assert snap["totals"]["total"] == "153.75" and snap["supersedes"] is None


def test_issued_documents_are_immutable(ws: Workspace) -> None:
    doc = issuing.issue(ws, draft(ws))
    attempts: list[Callable[[], object]] = [
        lambda: documents.add_line(ws, doc.number, "TAPE", Decimal(1)),
        lambda: documents.remove_line(ws, doc.id, 1),
        lambda: documents.set_terms(ws, doc.number, payment_terms="now"),
        lambda: issuing.issue(ws, doc.id),
    ]
    for attempt in attempts:
        with pytest.raises(DocumentRefused, match=r"make a new version of it \(revise\)"):
            attempt()
    assert documents.get_document(ws, doc.id) == doc


def test_numbers_per_kind_and_year_never_reused_after_deletion(ws: Workspace) -> None:
    first = issuing.issue(ws, draft(ws)).number
    second = draft(ws)
    with ws.store.transaction() as tx:  # deleting an issued offer and a draft
        tx.delete("documents", "DOC-0001")
        tx.delete("documents", second)
    assert issuing.issue(ws, draft(ws)).number == "OFR-2026-0002" != first
    next_year = at(ws, frozen_now() + timedelta(days=40))
    assert issuing.issue(next_year, draft(next_year)).number == "OFR-2027-0001"
    issuing.accept(next_year, "OFR-2027-0001")
    contract = issuing.contract_from_offer(next_year, "OFR-2027-0001")
    assert contract.number == "CTR-2027-0001"
    assert documents.get_document(ws, "DOC-0004").number == "OFR-2027-0001"  # ids move on too


def test_revise_supersedes_only_when_the_new_version_is_issued(ws: Workspace) -> None:
    v1 = issuing.issue(ws, draft(ws))
    v2 = issuing.revise(ws, "OFR-2026-0001")
    assert (v2.number, v2.version, v2.status, v2.supersedes) == (
        "OFR-2026-0001", 2, DocumentStatus.DRAFT, v1.id)  # fmt: skip
    with pytest.raises(DocumentRefused, match="already has a draft version 2"):
        issuing.revise(ws, "OFR-2026-0001")
    assert documents.get_document(ws, "OFR-2026-0001@1").status is DocumentStatus.SENT
    # The bare number means the latest version; accept/reject mean the latest issued one.
    assert documents.get_document(ws, "OFR-2026-0001").id == v2.id
    documents.add_line(ws, "OFR-2026-0001@2", "TAPE", Decimal(4))
    issued = issuing.issue(ws, v2.id)
    assert issued.number == "OFR-2026-0001" and issued.snapshot["supersedes"] == "OFR-2026-0001"
    assert documents.get_document(ws, v1.id).status is DocumentStatus.SUPERSEDED
    with pytest.raises(DocumentRefused, match="not the latest version"):
        issuing.revise(ws, "OFR-2026-0001@1")
    with pytest.raises(DocumentRefused, match="already superseded"):
        issuing.accept(ws, "OFR-2026-0001@1")
    change = documents.diff(ws, "OFR-2026-0001@1", "OFR-2026-0001@2")
    assert [x["product_code"] for x in change.added] == ["TAPE"]
    assert change.totals["total"].old == "153.75" and change.totals["total"].new == "170.67"


def test_expiry_is_computed_without_a_write(ws: Workspace) -> None:
    documents.set_terms(ws, draft(ws), valid_until=date(2026, 11, 30))
    doc = issuing.issue(ws, "DOC-0001")
    later = at(ws, frozen_now() + timedelta(days=8))
    version = ws.store.version
    assert documents.view(later, doc)["status"] == "expired"
    assert documents.view(ws, doc)["status"] == "sent"
    assert ws.store.version == version
    with pytest.raises(DocumentRefused, match="expired on 2026-11-30"):
        issuing.accept(later, doc.number)
    assert issuing.reject(later, doc.number).status is DocumentStatus.REJECTED
    assert issuing.revise(later, doc.number).version == 2  # a rejected offer may be revised


def test_validity_in_the_past_is_refused(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="valid_until"):
        documents.new_offer(ws, "D-0001", valid_until=date(2026, 11, 1))


def test_contract_only_from_an_accepted_offer(ws: Workspace) -> None:
    offer = issuing.issue(ws, draft(ws, "3"))
    with pytest.raises(DocumentRefused, match="accepted offer only"):
        issuing.contract_from_offer(ws, offer.number)
    with pytest.raises(DocumentRefused, match="a draft; issue it first"):
        issuing.accept(ws, draft(ws))
    issuing.accept(ws, offer.number)
    contract = issuing.contract_from_offer(ws, offer.number, delivery_terms="DAP Lisboa")
    assert (contract.kind, contract.number, contract.status) == (
        DocumentKind.CONTRACT, "CTR-2026-0001", DocumentStatus.SENT)  # fmt: skip
    snap = contract.snapshot
    assert snap["template"] == "contract" and snap["offer_number"] == "OFR-2026-0001"
    assert snap["signatories"] == {"ours": "", "theirs": "Lisboa Embalagens, Lda."}
    assert snap["subject"] == "Boxes for 2027" and snap["delivery_terms"] == "DAP Lisboa"
    assert snap["totals"] == offer.snapshot["totals"] and snap["lines"] == offer.snapshot["lines"]
    with pytest.raises(DocumentRefused, match="already made"):
        issuing.contract_from_offer(ws, offer.number)
    with pytest.raises(DocumentRefused, match="not an offer"):
        issuing.contract_from_offer(ws, contract.number)


def _line(code: str, qty: str, price: str, tax: int, discount: str = "0") -> DocumentLine:
    return DocumentLine(product_code=code, description=code.title(), quantity=Decimal(qty),
                        unit_price=Decimal(price), discount=Decimal(discount),
                        tax_rate=Decimal(tax))  # fmt: skip


def test_save_draft_replaces_lines_and_terms_in_one_go(ws: Workspace) -> None:
    doc = documents.get_document(ws, draft(ws))
    saved = documents.save_draft(
        ws, doc.id, expected_rev=doc.rev,
        lines=[_line("BOX", "4", "12.00", 23, "10"), _line("TAPE", "2.5", "3.99", 6)],
        document_discount=Decimal(5), payment_terms="30 days", referral_clause=True,
    )  # fmt: skip
    assert [ln.product_code for ln in saved.lines] == ["BOX", "TAPE"]
    assert (saved.document_discount, saved.payment_terms, saved.referral_clause) == (
        Decimal(5), "30 days", True,
    )  # fmt: skip
    assert documents.view(ws, saved)["totals"]["subtotal"] == "53.18"  # 43.20 + 9.975→9.98


def test_save_draft_refuses_whole_and_names_the_field(ws: Workspace) -> None:
    doc = documents.get_document(ws, draft(ws))
    before = documents.get_document(ws, doc.id)
    refusals: list[tuple[list[DocumentLine], dict[str, Any], str]] = [
        ([_line("BOX", "1", "12.50", 20)], {}, "line 1: tax rate"),  # not the catalog's rate
        ([_line("BOX", "1", "12.505", 23)], {}, "line 1: unit price"),
        ([_line("BOX", "1", "1", 23), _line("YEN", "1", "500", 10)], {}, "currency"),
        ([_line("BOX", "1", "1", 23)], {"valid_until": date(2020, 1, 1)}, "valid_until"),
    ]
    for lines, terms, field in refusals:
        with pytest.raises(ValidationError) as caught:
            documents.save_draft(ws, doc.id, expected_rev=doc.rev, lines=lines, **terms)
        assert caught.value.field == field
    with pytest.raises(ConflictError, match="changed elsewhere"):
        documents.save_draft(ws, doc.id, expected_rev=doc.rev - 1, lines=[])
    assert documents.get_document(ws, doc.id) == before  # nothing half-saved


def test_missing_company_fields_names_the_settings(ws: Workspace) -> None:
    assert documents.missing_company_fields(ws) == [
        "company.name", "company.address", "company.tax_id",
    ]  # fmt: skip
    settings = replace(ws.settings, company_name="Baltic Pack UAB", company_tax_id="LT1")
    assert documents.missing_company_fields(replace(ws, settings=settings)) == ["company.address"]
