"""One formatter for money, numbers, dates and times: Babel in the user's locale, with every
difference signed by a true minus sign and CLDR's spacing beside letter currencies."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from accmgr.documents.formatting import Formatter
from accmgr.domain import display
from accmgr.domain.display import (
    MINUS,
    NBSP,
    change_text,
    compact_money,
    compact_number,
    moment,
    money,
    short_money,
    stored_money,
    use_locale,
)

D = Decimal


def test_money_follows_the_locale() -> None:
    assert money(D("1234.5"), "EUR", "en_GB") == "€1,234.50"
    assert money(D("1234.5"), "PLN", "pl_PL") == f"1{NBSP}234,50{NBSP}zł"
    assert money(D("1234"), "JPY", "en_US") == "¥1,234"
    assert money(D("44460"), "EUR", "pt_PT") == f"44{NBSP}460,00{NBSP}€"
    # Rounded half-up to the currency's minor unit, unless every digit is to be kept.
    assert money(D("0.125"), "EUR", "en_GB") == "€0.13"
    assert money(D("0.0125"), "EUR", "en_GB", exact=True) == "€0.0125"


def test_a_currency_written_in_letters_is_kept_apart_from_the_digits() -> None:
    # Babel writes "PLN24,937.28"; CLDR's currency spacing puts a no-break space there.
    assert money(D("24937.28"), "PLN", "en_GB") == f"PLN{NBSP}24,937.28"
    assert money(D("55571.40"), "EUR", "en_GB") == "€55,571.40"
    assert money(D("1500"), "HUF", "hu_HU") == f"1{NBSP}500,00{NBSP}Ft"


def test_differences_are_signed_with_a_true_minus() -> None:
    assert money(D("1008.80"), "EUR", "en_GB", signed=True) == "+€1,008.80"
    assert money(D("-1008.80"), "EUR", "en_GB", signed=True) == f"{MINUS}€1,008.80"
    assert money(D("-1008.80"), "EUR", "pl_PL") == f"{MINUS}1{NBSP}008,80{NBSP}€"
    assert money(D("0"), "EUR", "en_GB", signed=True) == "€0.00"
    assert "-" not in money(D("-5"), "EUR", "lt_LT") and "(" not in money(D("-5"), "EUR", "en_US")


def test_an_offer_diff_total_reads_old_new_and_the_signed_change() -> None:
    change = {"old": "43451.20", "new": "44460.00", "change": "1008.80"}
    assert change_text("total", change, "EUR", "en_GB") == "€43,451.20 → €44,460.00 (+€1,008.80)"
    back = {"old": "44460.00", "new": "43451.20", "change": "-1008.80"}
    assert change_text("total", back, "EUR", "en_GB").endswith(f"({MINUS}€1,008.80)")
    discount = {"old": "0", "new": "5", "change": "5"}
    assert change_text("document_discount", discount, "EUR", "en_GB") == "0 % → 5 % (+5 points)"


def test_short_money_keeps_whole_units_then_three_figures() -> None:
    assert short_money(D("48500"), "EUR", "en_GB") == "€48,500"
    assert short_money(D("48500"), "EUR", "lt_LT") == f"48{NBSP}500{NBSP}€"
    assert short_money(D("1250000"), "EUR", "en_GB") == "€1.25M"
    assert short_money(D("23900000"), "RUB", "en_GB") == f"RUB{NBSP}23.9M"
    assert short_money(D("125000"), "EUR", "en_GB") == "€125K"
    # Column totals: always compact, the weighted figure without repeating the currency.
    assert compact_money(D("13000"), "PLN", "en_GB") == f"PLN{NBSP}13K"
    assert compact_money(D("13000"), "PLN", "pl_PL") == f"13{NBSP}tys.{NBSP}zł"
    assert compact_number(D("2400"), "en_GB") == "2.4K"


def test_the_pdf_formatter_and_the_screens_write_the_same_figure() -> None:
    for language, locale in (("en", "en_GB"), ("pl", "pl_PL"), ("hu", "hu_HU")):
        pdf = Formatter.for_language(language, "PLN").money("24937.28")
        assert pdf == stored_money("24937.28", "PLN", locale)


def test_moments_are_written_to_the_minute_in_their_own_zone() -> None:
    lisbon = timezone(timedelta(hours=1))
    at = datetime(2026, 12, 4, 14, 30, 59, 123456, tzinfo=lisbon)
    assert moment(at, "en_GB") == "4 Dec 2026, 14:30"
    assert moment(at, "lt_LT") == "2026-12-04 14:30"
    assert display.when(date(2026, 12, 4), "en_GB") == "4 Dec 2026"
    assert display.when(None, "en_GB") == "—"


@pytest.fixture
def polish() -> object:
    before = display.user_locale()
    use_locale("pl-PL")
    yield
    use_locale(before)


def test_without_a_locale_the_users_is_used(polish: object) -> None:
    assert money(D("12.5"), "EUR") == f"12,50{NBSP}€"
