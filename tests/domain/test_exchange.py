"""Conversion golden cases: every expected figure is computed by hand in the comment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accmgr.domain.ecb import read_ecb_csv
from accmgr.domain.exchange import (
    Converted,
    ExchangeRate,
    NoRate,
    RateBook,
    convert,
    missing_notes,
    total_of,
)
from accmgr.errors import ValidationError
from tests.domain.ecb_samples import DAILY, HISTORICAL

D = Decimal
THU, FRI, SAT, SUN, MON = (date(2026, 12, d) for d in (3, 4, 5, 6, 7))


def ecb(day: date, **rates: str) -> list[ExchangeRate]:
    return [ExchangeRate("EUR", code, D(value), day) for code, value in rates.items()]


BOOK = RateBook(ecb(FRI, PLN="4.2675", HUF="385.10", GBP="0.8512", JPY="158.12"))


def converted(amount: str, currency: str, target: str, day: date, book: RateBook) -> Converted:
    result = convert(D(amount), currency, target, day, book)
    assert isinstance(result, Converted), result
    return result


def test_direct_rate_multiplies() -> None:
    # 1 000.00 EUR × 4.2675 = 4 267.50 PLN
    result = converted("1000.00", "EUR", "PLN", FRI, BOOK)
    assert result.value == D("4267.50")
    assert result.rate.day == FRI and result.rate.shown == D("4.2675") and result.rate.via is None


def test_inverse_rate_divides_and_rounds_half_up_once() -> None:
    # 1 000 PLN ÷ 4.2675 = 234.3292… → 234.33 EUR
    result = converted("1000", "PLN", "EUR", FRI, BOOK)
    assert result.value == D("234.33")
    assert result.rate.shown == D("0.2343292326")


def test_cross_rate_goes_through_the_euro() -> None:
    # 1 000 PLN → HUF = 1 000 × 385.10 ÷ 4.2675 = 90 240.1874… → 90 240.19 HUF
    result = converted("1000", "PLN", "HUF", FRI, BOOK)
    assert result.value == D("90240.19")
    assert result.rate.via == "EUR" and result.rate.day == FRI
    # 500 GBP → PLN = 500 × 4.2675 ÷ 0.8512 = 2 506.7551… → 2 506.76 PLN
    assert converted("500", "GBP", "PLN", FRI, BOOK).value == D("2506.76")


def test_rounding_follows_the_target_currencys_minor_unit() -> None:
    # 1 234.56 EUR × 158.12 = 195 208.6272 → 195 209 JPY (no minor unit)
    assert converted("1234.56", "EUR", "JPY", FRI, BOOK).value == D("195209")
    # 1.01 EUR × 0.5 = 0.505 → 0.51 GBP: half-up, not half-even (0.50)
    half = RateBook(ecb(FRI, GBP="0.5"))
    assert converted("1.01", "EUR", "GBP", FRI, half).value == D("0.51")


def test_same_currency_needs_no_rate() -> None:
    result = converted("12.34", "EUR", "EUR", FRI, RateBook())
    assert result.value == D("12.34") and result.rate.day is None


def test_latest_rate_on_or_before_the_day_over_a_weekend() -> None:
    book = RateBook([*ecb(THU, PLN="4.2600"), *ecb(FRI, PLN="4.2675"), *ecb(MON, PLN="4.2800")])
    # Thursday's figure: Thursday's rate, 100 × 4.26 = 426.00
    assert converted("100", "EUR", "PLN", THU, book).value == D("426.00")
    # Saturday and Sunday have no rate: Friday's, 100 × 4.2675 = 426.75, dated Friday
    for day in (SAT, SUN):
        result = converted("100", "EUR", "PLN", day, book)
        assert (result.value, result.rate.day) == (D("426.75"), FRI)
    # Monday: Monday's own, 100 × 4.28 = 428.00; a later rate is never used for an earlier day
    assert converted("100", "EUR", "PLN", MON, book).value == D("428.00")


def test_holiday_gap_uses_the_last_working_day_before_it() -> None:
    book = RateBook(
        [*ecb(date(2026, 12, 24), PLN="4.2790"), *ecb(date(2026, 12, 29), PLN="4.2810")]
    )
    result = converted("1000", "EUR", "PLN", date(2026, 12, 28), book)
    # 25–28 December have no rate: 24 December's, 1 000 × 4.2790 = 4 279.00
    assert (result.value, result.rate.day) == (D("4279.00"), date(2026, 12, 24))


def test_missing_rate_is_an_explicit_result() -> None:
    result = convert(D("500000"), "RUB", "EUR", FRI, BOOK)
    assert isinstance(result, NoRate)
    assert result.reason == "no rate from RUB to EUR on or before 2026-12-04"
    # A day before the first rate has no rate either (never a later one)
    early = convert(D("100"), "EUR", "PLN", THU, BOOK)
    assert isinstance(early, NoRate)


def test_cross_rate_is_as_old_as_its_older_leg_and_the_newest_way_wins() -> None:
    book = RateBook(
        [
            ExchangeRate("PLN", "HUF", D("90.00"), date(2026, 11, 2)),  # typed by hand
            *ecb(THU, PLN="4.2600"),
            *ecb(FRI, HUF="385.10"),
        ]
    )
    # On Friday the cross (legs of Thursday and Friday → dated Thursday) is newer than 2 Nov:
    # 100 PLN × 385.10 ÷ 4.26 = 9 039.9061… → 9 039.91 HUF
    result = converted("100", "PLN", "HUF", FRI, book)
    assert (result.value, result.rate.day, result.rate.via) == (D("9039.91"), THU, "EUR")
    # On 15 November only the hand-typed pair exists: 100 × 90 = 9 000.00
    result = converted("100", "PLN", "HUF", date(2026, 11, 15), book)
    assert (result.value, result.rate.via) == (D("9000.00"), None)


def test_the_newer_of_a_pair_and_its_inverse_is_used() -> None:
    book = RateBook(
        [
            ExchangeRate("PLN", "EUR", D("0.2350"), date(2026, 12, 1)),
            ExchangeRate("EUR", "PLN", D("4.2675"), FRI),
        ]
    )
    # 1 000 PLN on Friday: the inverse of Friday's EUR → PLN, 1 000 ÷ 4.2675 = 234.33
    assert converted("1000", "PLN", "EUR", FRI, book).value == D("234.33")
    # On 2 December only the typed PLN → EUR exists: 1 000 × 0.2350 = 235.00
    assert converted("1000", "PLN", "EUR", date(2026, 12, 2), book).value == D("235.00")


def test_total_adds_converted_amounts_and_keeps_missing_ones_apart() -> None:
    amounts = [
        (D("1000.00"), "EUR"),
        (D("2000.00"), "PLN"),
        (D("2267.50"), "PLN"),
        (D("500000"), "RUB"),
        (D("250000"), "RUB"),
    ]
    total = total_of(amounts, "EUR", FRI, BOOK)
    # PLN 2 000 + 2 267.50 = 4 267.50, ÷ 4.2675 = 1 000.00; + 1 000.00 EUR = 2 000.00 EUR
    assert total.amount == D("2000.00")
    assert total.count == 3 and total.missing_count == 2
    assert [(p.currency, p.amount, p.count) for p in total.missing] == [("RUB", D("750000"), 2)]
    assert [p.currency for p in total.parts] == ["EUR", "PLN", "RUB"]
    assert total.oldest_rate_day == FRI
    assert missing_notes(total, "deal", "in Settings") == [
        "2 deals in RUB have no rate — add one in Settings"
    ]


def test_one_missing_amount_is_said_in_the_singular() -> None:
    total = total_of([(D("5"), "RUB")], "EUR", FRI, BOOK)
    assert total.amount == D("0.00") and total.count == 0
    assert missing_notes(total, "deal", "with `accmgr rate set EUR RUB RATE`") == [
        "1 deal in RUB has no rate — add one with `accmgr rate set EUR RUB RATE`"
    ]


@pytest.mark.parametrize(
    ("base", "quote", "rate", "message"),
    [
        ("EUR", "EUR", "1", "to: expected a currency other than EUR, got EUR"),
        ("EUR", "PLN", "0", "rate: expected a rate greater than 0, got 0"),
        ("EUR", "PLN", "-4", "rate: expected a rate greater than 0, got -4"),
        ("EUR", "QQQ", "4", "to: expected a three-letter ISO 4217 code"),
        ("EUR", "PLN", "1.12345678901", "rate: expected at most 10 decimal places"),
    ],
)
def test_bad_rates_are_refused(base: str, quote: str, rate: str, message: str) -> None:
    with pytest.raises(ValidationError, match="^" + message.replace(".", r"\.")):
        ExchangeRate(base, quote, D(rate), FRI)


# --- the ECB's file --------------------------------------------------------------------------


def test_daily_file_is_read() -> None:
    read = read_ecb_csv(DAILY)
    assert read.days == (FRI,)
    assert len(read.rates) == 30 and len(read.currencies) == 30
    by_code = {r.quote: r for r in read.rates}
    assert by_code["PLN"] == ExchangeRate("EUR", "PLN", D("4.2675"), FRI)
    assert by_code["ZAR"].rate == D("19.3412") and by_code["IDR"].rate == D("16843.21")


def test_historical_file_is_read_with_not_available_cells_skipped() -> None:
    read = read_ecb_csv(HISTORICAL)
    # 5 days × USD, JPY, GBP, HUF, PLN; CYP and RUB are N/A on every row
    assert len(read.rates) == 25
    assert read.days == tuple(date(2026, 12, d) for d in (3, 4, 23, 24, 29))
    assert not [r for r in read.rates if r.quote in {"CYP", "RUB"}]
    book = RateBook(read.rates)
    # Christmas: 1 000 EUR on 27 December at 24 December's 386.95 = 386 950.00 HUF
    result = converted("1000", "EUR", "HUF", date(2026, 12, 27), book)
    assert (result.value, result.rate.day) == (D("386950.00"), date(2026, 12, 24))


def test_a_byte_order_mark_and_windows_line_ends_are_accepted() -> None:
    read = read_ecb_csv("\ufeff" + HISTORICAL.replace("\n", "\r\n"))
    assert len(read.rates) == 25


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("Day,USD,\n2026-12-04,1.05,\n", "line 1, column 1: expected the ECB reference-rates"),
        ("Date,USD,XQZ,\n", "line 1, column 3: expected a currency code such as USD, got 'XQZ'"),
        ("Date,USD,EUR,\n", "line 1, column 3: EUR is the base of every rate"),
        ("Date,USD,USD,\n", "line 1, column 3: USD is a column twice"),
        ("Date,USD,\n", "line 2: expected at least one row of rates"),
        (
            "Date,USD,PLN,\n2026-12-04,1.05,4.26,\n2026-12-03,1,0543,4.25,\n",
            "line 3: expected 3 values (the date and 2 rates), got 4",
        ),
        (
            "Date,USD,PLN,\n2026-12-04,1.05,4.26,\n2026-12-03,1.0543,4.2x,\n",
            "line 3, column 3 (PLN): expected a rate such as 1.0543 or N/A, got '4.2x'",
        ),
        (
            "Date,USD,\n2026-12-04,0,\n",
            "line 2, column 2 (USD): expected a rate greater than 0, got 0",
        ),
        (
            "Date,USD,\n2026-12-04,-1.05,\n",
            "line 2, column 2 (USD): expected a rate such as 1.0543 or N/A, got '-1.05'",
        ),
        (
            "Date,USD,\n2026-13-04,1.05,\n",
            "line 2, column 1 (Date): expected a date such as 2026-12-04 or 04 December 2026",
        ),
        (
            "Date, USD, \n31 Decembre 2026, 1.05, \n",
            "line 2, column 1 (Date): expected a date such as 2026-12-04",
        ),
        (
            "Date,USD,\n2026-12-04,1.05,\n2026-12-04,1.05,\n",
            "line 3, column 1 (Date): 2026-12-04 is already on line 2",
        ),
    ],
)
def test_bad_files_are_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_ecb_csv(text)
    assert str(caught.value).startswith(message)
