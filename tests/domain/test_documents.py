"""Documents: the snapshot's figures are compute_totals', expiry is computed, diffs are exact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from accmgr.domain.client import Client
from accmgr.domain.document import (
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    build_snapshot,
    number_text,
)
from accmgr.domain.money import LineInput, compute_totals
from accmgr.domain.offer_diff import diff_snapshots

COMPANY = {"name": "Nordic Pack UAB", "address": "Vilnius", "tax_id": "LT1", "bank": "LT00"}
CLIENT = Client(id="C-0001", name="Acme", created_at=datetime(2026, 1, 1, tzinfo=UTC))


def line(code: str, qty: str, price: str, discount: str = "0", tax: str = "23") -> DocumentLine:
    return DocumentLine(
        product_code=code,
        description=f"Product {code}",
        quantity=Decimal(qty),
        unit_price=Decimal(price),
        discount=Decimal(discount),
        tax_rate=Decimal(tax),
    )


def offer(currency: str, *lines: DocumentLine, discount: str = "0", **more: Any) -> Document:
    return Document(
        id="DOC-0001",
        kind=DocumentKind.OFFER,
        client_id="C-0001",
        currency=currency,
        lines=lines,
        document_discount=Decimal(discount),
        **more,
    )


def snap(doc: Document) -> dict[str, Any]:
    return build_snapshot(doc, company=COMPANY, client=CLIENT, deal=None)


def test_half_minor_unit_rounds_up_and_matches_compute_totals() -> None:
    # 1 × 2.25 × 50 % = 1.125 → 1.13; 3 × 0.35 × 50 % = 0.525 → 0.53
    doc = offer(
        "EUR", line("A", "1", "2.25", "50"), line("B", "3", "0.35", "50", "9"), discount="10"
    )
    data = snap(doc)
    assert [item["net"] for item in data["lines"]] == ["1.13", "0.53"]
    expected = compute_totals(
        [
            LineInput(Decimal(1), Decimal("2.25"), Decimal(50), Decimal(23)),
            LineInput(Decimal(3), Decimal("0.35"), Decimal(50), Decimal(9)),
        ],
        "EUR",
        Decimal(10),
    )
    totals = data["totals"]
    assert totals["subtotal"] == str(expected.subtotal) == "1.66"
    assert totals["document_discount_amount"] == str(expected.document_discount_amount) == "0.17"
    assert totals["total"] == str(expected.total)
    assert [(t["rate"], t["base"], t["tax"]) for t in totals["taxes"]] == [
        (str(g.rate), str(g.base), str(g.tax)) for g in expected.taxes
    ]


def test_jpy_has_no_minor_digits() -> None:
    data = snap(offer("JPY", line("A", "1", "125", "50", "10")))
    assert data["lines"][0]["net"] == "63"  # 62.5 rounds half-up
    assert data["lines"][0]["unit_price"] == "125"
    assert data["totals"]["total"] == "69"  # 63 + 6.3 → 6


def test_snapshot_shape() -> None:
    data = snap(offer("EUR", line("A", "2", "10"), valid_until=date(2026, 12, 23)))
    assert set(data) == {
        "kind", "number", "version", "language", "currency", "issued_on", "valid_until",
        "company", "client", "deal", "lines", "totals", "payment_terms", "special_terms",
        "referral_clause", "supersedes", "template",
    }  # fmt: skip
    assert set(data["company"]) == {"name", "address", "tax_id", "bank", "logo"}
    assert data["client"]["email"] == "" and data["client"]["country"] == ""
    assert data["valid_until"] == "2026-12-23" and data["template"] == "offer"
    assert data["lines"][0]["quantity"] == "2" and data["lines"][0]["tax_rate"] == "23"


def test_expiry_is_computed_not_stored() -> None:
    sent = offer("EUR", line("A", "1", "1"), status=DocumentStatus.SENT,
                 valid_until=date(2026, 11, 22))  # fmt: skip
    assert sent.status_on(date(2026, 11, 22)) is DocumentStatus.SENT
    assert sent.status_on(date(2026, 11, 23)) is DocumentStatus.EXPIRED
    assert sent.status is DocumentStatus.SENT
    accepted = sent.evolve(status=DocumentStatus.ACCEPTED)
    assert accepted.status_on(date(2027, 1, 1)) is DocumentStatus.ACCEPTED


def test_diff_lines_added_removed_changed_and_totals() -> None:
    old = snap(offer("EUR", line("A", "10", "5"), line("B", "1", "100"), line("C", "2", "3")))
    new = snap(
        offer(
            "EUR",
            line("C", "2", "3"),
            line("A", "12", "5", "10"),
            line("D", "1", "7", tax="6"),
            payment_terms="14 days",
        )
    )
    result = diff_snapshots(old, new, old_ref="X@1", new_ref="X@2").to_dict()
    assert [x["product_code"] for x in result["lines"]["added"]] == ["D"]
    assert [x["product_code"] for x in result["lines"]["removed"]] == ["B"]
    [changed] = result["lines"]["changed"]  # C only moved: not a change
    assert changed["product_code"] == "A"
    assert changed["fields"] == {
        "quantity": {"old": "10", "new": "12"},
        "discount": {"old": "0", "new": "10"},
        "net": {"old": "50.00", "new": "54.00"},
    }
    assert result["terms"] == {"payment_terms": {"old": "", "new": "14 days"}}
    assert result["totals"]["subtotal"] == {"old": "156.00", "new": "67.00", "change": "-89.00"}
    assert result["taxes"]["6"] == {"old": None, "new": "0.42", "change": "0.42"}


def test_diff_refuses_two_currencies() -> None:
    from accmgr.errors import ValidationError

    with pytest.raises(ValidationError, match="one currency"):
        diff_snapshots(
            snap(offer("EUR", line("A", "1", "1"))),
            snap(offer("JPY", line("A", "1", "1"))),
            old_ref="a",
            new_ref="b",
        )


def test_number_text_never_uses_exponents() -> None:
    assert [number_text(Decimal(v)) for v in ("100", "2.50", "0.000", "-0")] == [
        "100", "2.5", "0", "0",
    ]  # fmt: skip
