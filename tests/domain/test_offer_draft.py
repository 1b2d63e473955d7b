"""The pending offer the editor totals as you type: parsed like the CLI, totalled exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accmgr.domain.money import LineInput, compute_totals
from accmgr.domain.offer_draft import DraftTerms, PendingLine, check_terms, draft_totals

TODAY = date(2026, 11, 23)


def line(quantity: str = "1", price: str = "180.00", discount: str = "0") -> PendingLine:
    return PendingLine("CHAIR-1", "Office chair", "pc", Decimal(21), "EUR",
                       quantity=quantity, unit_price=price, discount=discount)  # fmt: skip


def test_typed_text_is_read_as_the_cli_reads_it() -> None:
    typed = line("1 200,5", "1.234,50", "12,5%")
    assert typed.problems == {}
    assert typed.parsed == LineInput(
        Decimal("1200.5"), Decimal("1234.50"), Decimal("12.5"), Decimal(21)
    )


def test_each_field_refused_with_what_was_expected() -> None:
    bad = line("0", "12.5055", "150")
    assert "expected a quantity greater than 0" in bad.problems["quantity"]
    assert "at most 2 decimal places for EUR" in bad.problems["unit_price"]
    assert "percentage from 0 to 100" in bad.problems["discount"]
    assert bad.parsed is None
    assert "greater than 0" in line("-1").problems["quantity"]
    bad.set("quantity", "2")
    assert "quantity" not in bad.problems


def test_totals_are_compute_totals_of_the_parsed_lines() -> None:
    lines = [line("3", "19.99", "5"), line("2.5", "0.35")]
    result = draft_totals(DraftTerms("EUR", "7.5"), lines)
    expected = compute_totals([ln.parsed for ln in lines if ln.parsed], "EUR", Decimal("7.5"))
    assert result.totals == expected and result.problem == ""
    waiting = draft_totals(DraftTerms("EUR"), [line(), line("x")])
    assert waiting.totals is None and waiting.problem.startswith("line 2: quantity:")


def test_document_fields_refused_beside_their_name() -> None:
    problems = check_terms(DraftTerms("PLN", "101", date(2026, 1, 1)), [line()], TODAY)
    assert problems["currency"].startswith("expected EUR: the lines are priced in EUR")
    assert "percentage from 0 to 100" in problems["document_discount"]
    assert "expected today or a later date" in problems["valid_until"]
    assert check_terms(DraftTerms("eur", "", TODAY), [line()], TODAY) == {}
    assert "three-letter" in check_terms(DraftTerms("EURO"), [], TODAY)["currency"]
