"""The fixed texts and the formatting rules, without rendering anything (fast)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency

from accmgr.documents.formatting import Formatter, FormattingError
from accmgr.documents.render import css_string, page_counter_css
from accmgr.documents.texts import LANGUAGES, TEXTS, texts_for


def test_every_language_has_every_text() -> None:
    keys = set(TEXTS["en"])
    for language in LANGUAGES:
        assert set(TEXTS[language]) == keys, language
        assert all(TEXTS[language].values()), language
        assert "{page}" in TEXTS[language]["page_of"]
        assert "{pages}" in TEXTS[language]["page_of"]


def test_an_unknown_language_is_an_error_not_english() -> None:
    with pytest.raises(LookupError, match="de"):
        texts_for("de")


def test_money_is_formatted_never_rounded() -> None:
    fmt = Formatter.for_language("pt", "EUR")
    assert fmt.money("0.0125") == format_currency(
        Decimal("0.0125"), "EUR", locale="pt_PT", decimal_quantization=False
    )
    assert "0,0125" in fmt.money("0.0125")
    assert fmt.money("1234.50").replace("\xa0", " ") == "1 234,50 €"
    assert Formatter.for_language("pl", "PLN").money("1234.50").replace("\xa0", " ") == (
        "1 234,50 zł"
    )
    assert Formatter.for_language("en", "JPY").money("1235") == "JP¥1,235"
    assert Formatter.for_language("en", "BHD").money("1.235").endswith("1.235")


def test_percentages_and_dates_follow_the_locale() -> None:
    assert Formatter.for_language("lt", "EUR").percent("12.5").replace("\xa0", " ") == "12,5 %"
    assert Formatter.for_language("en", "EUR").percent("23") == "23%"
    assert Formatter.for_language("ru", "RUB").date("2026-11-23").startswith("23 ноября 2026")
    assert Formatter.for_language("hu", "HUF").date("2026-11-23") == "2026. november 23."


@pytest.mark.parametrize("value", [1.5, "abc", "NaN", "Infinity"])
def test_a_figure_that_is_not_a_decimal_string_is_refused(value: object) -> None:
    with pytest.raises(FormattingError):
        Formatter.for_language("en", "EUR").money(value)


def test_css_strings_cannot_break_out() -> None:
    quoted = css_string('a"b;}\n</style><img src=x>ł')
    assert quoted.startswith('"') and quoted.endswith('"')
    inner = quoted[1:-1]
    assert not set(inner) & set('"<>;}\n')
    assert page_counter_css("Page {page} of {pages}") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert page_counter_css("Oldal: {page} / {pages}") == (
        '"Oldal\\3a  " counter(page) " \\2f  " counter(pages)'
    )
