"""Money: parsing what people type, and the offer's arithmetic (DESIGN.md, Money)."""

from __future__ import annotations

import random
from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accmgr.domain.money import (
    LineInput,
    Totals,
    check_currency,
    compute_totals,
    minor_units,
    parse_amount,
    parse_percent,
    quantize,
)
from accmgr.errors import ValidationError

D = Decimal


# --- currencies and rounding -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "digits"),
    [("EUR", 2), ("PLN", 2), ("HUF", 2), ("JPY", 0), ("BHD", 3), ("KWD", 3), ("TND", 3)],
)
def test_minor_units_come_from_babel(code: str, digits: int) -> None:
    assert minor_units(code) == digits


def test_check_currency_upper_cases_and_refuses_unknown_codes() -> None:
    assert check_currency(" eur ") == "EUR"
    assert check_currency("XOF") == "XOF"  # CFA franc: an X-code that is money
    for bad in ("EURO", "XAU", "XXX", "ZZZ", "", "E1R"):
        with pytest.raises(ValidationError) as caught:
            check_currency(bad)
        assert caught.value.field == "currency"
        assert "ISO 4217" in str(caught.value)
        assert repr(bad) in str(caught.value)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.005", "EUR", "0.01"),
        ("2.675", "EUR", "2.68"),  # 2.67499999… as a float; exact as a Decimal
        ("1.005", "EUR", "1.01"),
        ("0.004999", "EUR", "0.00"),
        ("2.5", "JPY", "3"),
        ("1.0005", "BHD", "1.001"),
    ],
)
def test_quantize_rounds_half_up(amount: str, currency: str, expected: str) -> None:
    result = quantize(D(amount), currency)
    assert result == D(expected)
    assert str(result) == expected


# --- parse_amount ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.5"),
        ("1 234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1_000", "1000"),
        ("1\u00a0234\u00a0567,5", "1234567.5"),
        ("1\u202f234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1'234.50", "1234.50"),
        ("0,125", "0.125"),
        ("1234,567", "1234.567"),
        (" 42 ", "42"),
        (".5", "0.5"),
        ("0", "0"),
    ],
)
def test_parse_amount_reads_what_people_type(text: str, expected: str) -> None:
    assert parse_amount(text) == D(expected)


@pytest.mark.parametrize("text", ["1,234", "1.234", "12,345", "999.000"])
def test_parse_amount_refuses_thousands_or_fraction_ambiguity(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, field="value")
    assert caught.value.field == "value"
    assert "ambiguous" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "NaN", "Infinity", "1e5", "1E-3", "€ 12", "12 EUR", "$5", "1,2,3", "12 34",
     "1.2.3,4,5", "--5", "1,234.567.8", "(5)", "5-"],
)  # fmt: skip
def test_parse_amount_refuses_garbage_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, field="unit price")
    assert caught.value.field == "unit price"
    assert str(caught.value).startswith("unit price: ")


def test_parse_amount_says_why_for_currency_symbols_and_exponents() -> None:
    with pytest.raises(ValidationError, match="currency is chosen separately"):
        parse_amount("€ 12")
    with pytest.raises(ValidationError, match="exponents"):
        parse_amount("1e5")


def test_parse_amount_negative_only_when_allowed() -> None:
    with pytest.raises(ValidationError, match="zero or more"):
        parse_amount("-5")
    assert parse_amount("-1 234,50", allow_negative=True) == D("-1234.50")
    assert parse_amount("\u22125", allow_negative=True) == D(-5)


def test_parse_amount_with_currency_refuses_extra_decimals_and_quantizes() -> None:
    assert str(parse_amount("12.5", currency="EUR")) == "12.50"
    assert str(parse_amount("1 200", currency="JPY")) == "1200"
    with pytest.raises(ValidationError, match="at most 2 decimal places for EUR"):
        parse_amount("12.3456", currency="EUR")
    with pytest.raises(ValidationError, match="at most 0 decimal places for JPY"):
        parse_amount("12.5", currency="JPY")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12.5", "12.5"), ("12,5", "12.5"), ("12.5%", "12.5"), (" 100 % ", "100"), ("0", "0"),
     (D("7.25"), "7.25"), (15, "15")],
)  # fmt: skip
def test_parse_percent(value: str | Decimal | int, expected: str) -> None:
    assert parse_percent(value) == D(expected)


@pytest.mark.parametrize("value", ["101", "-1", "abc", "", "1e2", D("NaN"), D("100.01"), 0.5])
def test_parse_percent_refuses_outside_0_to_100(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_percent(value, field="line 2: discount")  # type: ignore[arg-type]
    assert caught.value.field == "line 2: discount"


# --- lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"quantity": D(0), "unit_price": D(1)}, "line 3: quantity", "greater than 0"),
        ({"quantity": D(-1), "unit_price": D(1)}, "line 3: quantity", "greater than 0"),
        ({"quantity": D(1), "unit_price": D(-1)}, "line 3: unit price", "0 or more"),
        (
            {"quantity": D(1), "unit_price": D(1), "discount": D(101)},
            "line 3: discount",
            "0 to 100",
        ),
        ({"quantity": D(1), "unit_price": D(1), "tax_rate": D(-5)}, "line 3: tax rate", "0 to 100"),
        ({"quantity": 0.5, "unit_price": D(1)}, "line 3: quantity", "float"),
        ({"quantity": D("NaN"), "unit_price": D(1)}, "line 3: quantity", "finite"),
        ({"quantity": D("1.0000001"), "unit_price": D(1)}, "line 3: quantity", "decimal places"),
        ({"quantity": D("1e16"), "unit_price": D(1)}, "line 3: quantity", "digits"),
    ],
)
def test_line_input_refusals_name_the_line_and_field(
    kwargs: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        LineInput(**kwargs, label="line 3")  # type: ignore[arg-type]
    assert caught.value.field == field
    assert words in str(caught.value)


def test_line_input_takes_ints_as_decimals() -> None:
    line = LineInput(D(2), D(10), 5, 23)  # type: ignore[arg-type]
    assert line.discount == D(5) and isinstance(line.tax_rate, Decimal)


# --- totals: golden cases --------------------------------------------------------------------


def test_single_line_rounds_half_up() -> None:
    totals = compute_totals([LineInput(D(1), D("0.005"))], "EUR")
    assert totals.line_nets == (D("0.01"),)
    assert totals.total == D("0.01")


def test_full_line_discount_gives_zero() -> None:
    totals = compute_totals([LineInput(D(3), D("19.99"), D(100), D(23))], "EUR")
    assert totals.line_nets == (D("0.00"),)
    assert totals.tax_total == D("0.00")
    assert totals.total == D("0.00")


def test_golden_offer_with_document_discount_and_mixed_rates() -> None:
    lines = [
        LineInput(D(3), D("19.99"), D(10), D(23)),  # 53.973 → 53.97
        LineInput(D(1), D(100), D(0), D(8)),  # 100.00
        LineInput(D(2), D("0.333"), D(0), D("23.00")),  # 0.666 → 0.67, same group as 23
        LineInput(D(1), D("10.10"), D(0), D(0)),  # 10.10
    ]
    t = compute_totals(lines, "EUR", D("7.5"))
    assert t.line_nets == (D("53.97"), D("100.00"), D("0.67"), D("10.10"))
    assert t.subtotal == D("164.74")
    assert t.document_discount_amount == D("12.36")  # 12.3555 → 12.36
    assert t.net == D("152.38")
    rates = [g.rate for g in t.taxes]
    assert rates == [D(0), D(8), D(23)]
    # shares: 0.7575→0.76, 7.5→7.50, 4.098→4.10; sum 12.36 exactly
    assert [g.discount for g in t.taxes] == [D("0.76"), D("7.50"), D("4.10")]
    assert [g.base for g in t.taxes] == [D("9.34"), D("92.50"), D("50.54")]
    assert [g.tax for g in t.taxes] == [D("0.00"), D("7.40"), D("11.62")]
    assert t.tax_total == D("19.02")
    assert t.total == D("171.40")


def test_allocation_remainder_goes_to_the_largest_group() -> None:
    # Three equal groups sharing 0.10: 0.0333… each rounds to 0.03; the 0.01 left goes to one.
    lines = [LineInput(D(1), D("1.00"), tax_rate=D(r)) for r in (5, 8, 23)]
    t = compute_totals(lines, "EUR", D("3.3333"))
    assert t.document_discount_amount == D("0.10")
    assert sum(g.discount for g in t.taxes) == D("0.10")
    assert sorted(g.discount for g in t.taxes) == [D("0.03"), D("0.03"), D("0.04")]
    # ties broken by the higher rate, so the result does not depend on line order
    assert t.taxes[-1].discount == D("0.04")


def test_two_hundred_lines() -> None:
    lines = [LineInput(D(i), D("0.99"), D(i % 7), D((0, 5, 8, 23)[i % 4])) for i in range(1, 201)]
    t = compute_totals(lines, "PLN", D(3))
    _assert_consistent(t)
    assert len(t.line_nets) == 200
    assert {g.rate for g in t.taxes} == {D(0), D(5), D(8), D(23)}


def test_huge_quantities_stay_exact() -> None:
    line = LineInput(D("999999999999999.999999"), D("999999999999999.999999"), D("0.000001"))
    t = compute_totals([line], "EUR", D("0.000001"))
    _assert_consistent(t)
    assert t.subtotal > D("9.99e29")
    assert t.subtotal.as_tuple().exponent == -2


def test_zero_and_three_digit_currencies() -> None:
    jpy = compute_totals([LineInput(D(3), D("333.5"), D(0), D(10))], "jpy", D(5))
    assert jpy.currency == "JPY"
    assert jpy.line_nets == (D(1001),)  # 1000.5 → 1001
    assert str(jpy.total) == str(jpy.total.quantize(D(1)))
    _assert_consistent(jpy)
    bhd = compute_totals([LineInput(D(1), D("1.0005"), D(0), D(10))], "BHD")
    assert str(bhd.line_nets[0]) == "1.001"
    assert str(bhd.tax_total) == "0.100"
    _assert_consistent(bhd)


def test_empty_offer_is_all_zeros() -> None:
    t = compute_totals([], "EUR", D(10))
    assert t.total == D("0.00") and t.taxes == ()


def test_compute_totals_refuses_bad_currency_and_discount() -> None:
    with pytest.raises(ValidationError, match="currency"):
        compute_totals([LineInput(D(1), D(1))], "EURO")
    with pytest.raises(ValidationError) as caught:
        compute_totals([LineInput(D(1), D(1))], "EUR", D(101))
    assert caught.value.field == "document discount"


# --- properties ------------------------------------------------------------------------------

CURRENCIES = ["EUR", "PLN", "HUF", "JPY", "BHD", "USD"]


def _decimals(max_value: str, places: int, min_value: str = "0") -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=D(min_value), max_value=D(max_value), places=places, allow_nan=False
    )


lines_strategy = st.lists(
    st.builds(
        LineInput,
        quantity=_decimals("100000", 3, "0.001"),
        unit_price=_decimals("100000", 4),
        discount=_decimals("100", 2),
        tax_rate=st.sampled_from([D(0), D(5), D("8"), D("23"), D("23.00"), D("27"), D("7.7")]),
    ),
    max_size=25,
)


def _places(currency: str) -> int:
    return minor_units(currency)


def _assert_consistent(t: object) -> None:
    assert isinstance(t, Totals)
    with localcontext(prec=120):  # the default 28 digits would round the huge cases here
        _check_figures(t)


def _check_figures(t: Totals) -> None:
    assert t.subtotal == sum(t.line_nets, D(0))
    assert t.net == t.subtotal - t.document_discount_amount
    assert sum((g.base for g in t.taxes), D(0)) == t.net
    assert sum((g.discount for g in t.taxes), D(0)) == t.document_discount_amount
    assert all(g.base == g.net - g.discount and g.base >= 0 for g in t.taxes)
    assert t.tax_total == sum((g.tax for g in t.taxes), D(0))
    assert t.total == t.net + t.tax_total
    assert [g.rate for g in t.taxes] == sorted(g.rate for g in t.taxes)
    exponent = -minor_units(t.currency)
    figures = [*t.line_nets, t.subtotal, t.document_discount_amount, t.net, t.tax_total, t.total]
    figures += [x for g in t.taxes for x in (g.base, g.tax, g.net, g.discount)]
    assert all(f.as_tuple().exponent == exponent for f in figures)


@settings(max_examples=150, deadline=None)
@given(
    lines=lines_strategy,
    currency=st.sampled_from(CURRENCIES),
    discount=_decimals("100", 2),
    seed=st.integers(0, 2**32),
)
def test_totals_are_consistent_and_independent_of_line_order(
    lines: list[LineInput], currency: str, discount: Decimal, seed: int
) -> None:
    totals = compute_totals(lines, currency, discount)
    _assert_consistent(totals)
    shuffled = list(lines)
    random.Random(seed).shuffle(shuffled)
    again = compute_totals(shuffled, currency, discount)
    assert (again.subtotal, again.document_discount_amount, again.net) == (
        totals.subtotal,
        totals.document_discount_amount,
        totals.net,
    )
    assert again.taxes == totals.taxes
    assert (again.tax_total, again.total) == (totals.tax_total, totals.total)
    assert sorted(again.line_nets) == sorted(totals.line_nets)


def _format(amount: Decimal, places: int, group: str, point: str) -> str:
    text = f"{amount:,.{places}f}"  # Decimal's own formatting: exact, no float
    return text.replace(",", "\x00").replace(".", point).replace("\x00", group)


@settings(max_examples=200, deadline=None)
@given(
    amount=_decimals("999999999999", 3),
    currency=st.sampled_from(CURRENCIES),
    convention=st.sampled_from([(",", "."), (".", ","), (" ", ","), ("\u00a0", ","), ("", ".")]),
)
def test_parse_amount_round_trips_either_separator_convention(
    amount: Decimal, currency: str, convention: tuple[str, str]
) -> None:
    places = _places(currency)
    value = quantize(amount, currency)
    group, point = convention
    if places == 0 and group in ",.":
        group = " "  # "1,234" with no decimals is ambiguous by design; see the refusal test
    # "1.500" BHD is ambiguous by design (1500 or 1.5?); see the refusal test
    assume(places != 3 or value >= 1000)
    text = _format(value, places, group, point)
    assert parse_amount(text, currency=currency) == value
    assert parse_amount(text) == value


@settings(max_examples=100, deadline=None)
@given(
    amount=_decimals("999999999", 2),
    locale=st.sampled_from(["en_GB", "en_US", "pt_PT", "lt_LT", "ru_RU", "pl_PL", "hu_HU"]),
)
def test_parse_amount_reads_babels_own_output(amount: Decimal, locale: str) -> None:
    from babel.numbers import format_decimal

    text = format_decimal(amount, format="#,##0.00", locale=locale)
    assert parse_amount(text) == amount
