"""Every document language: the PDF's text shows the snapshot's figures in that locale.

The expected strings are made here with Babel, straight from the snapshot's strings.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from accmgr.documents.render import RenderResult, render_pdf
from accmgr.documents.sample import sample_snapshot
from accmgr.documents.texts import LANGUAGES, TEXTS
from tests.documents.conftest import DEFAULTS, LOCALES, flat, page_texts, pdf_text

CURRENCIES = {"en": "GBP", "pt": "EUR", "lt": "EUR", "ru": "RUB", "pl": "PLN", "hu": "HUF"}


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[dict[str, Any], RenderResult]]:
    folder = tmp_path_factory.mktemp("languages")
    out = {}
    for language in LANGUAGES:
        snapshot = sample_snapshot(
            "offer", language, currency=CURRENCIES[language], lines=20, document_discount="7.5"
        )
        out[language] = (
            snapshot,
            render_pdf(snapshot, folder / f"{language}.pdf", template_dirs=DEFAULTS),
        )
    return out


def _money(value: str, currency: str, locale: str) -> str:
    return flat(
        format_currency(Decimal(value), currency, locale=locale, decimal_quantization=False)
    )


def _percent(value: str, locale: str) -> str:
    share = Decimal(value).scaleb(-2)
    return flat(format_percent(share, locale=locale, decimal_quantization=False))


@pytest.mark.parametrize("language", LANGUAGES)
def test_line_figures_and_totals_in_the_locale(
    rendered: dict[str, tuple[dict[str, Any], RenderResult]], language: str
) -> None:
    snapshot, result = rendered[language]
    locale, currency = LOCALES[language], snapshot["currency"]
    text = pdf_text(result.path)
    for line in snapshot["lines"]:
        quantity = flat(format_decimal(Decimal(line["quantity"]), locale=locale))
        row = " ".join(
            [
                quantity,
                line["unit"],
                _money(line["unit_price"], currency, locale),
                _percent(line["discount"], locale) if Decimal(line["discount"]) else "–",
                _percent(line["tax_rate"], locale),
                _money(line["net"], currency, locale),
            ]
        )
        assert row in text, f"line {line['position']}: {row!r} not in the PDF"
    totals = snapshot["totals"]
    for key in ("subtotal", "net", "total"):
        assert _money(totals[key], currency, locale) in text, key
    # A deduction is written with a true minus sign (U+2212), as on every screen.
    assert "\u2212" + _money(totals["document_discount_amount"], currency, locale) in text
    texts = TEXTS[language]
    for tax in totals["taxes"]:
        label = texts["tax_on"].format(
            rate=_percent(tax["rate"], locale), base=_money(tax["base"], currency, locale)
        )
        assert f"{label} {_money(tax['tax'], currency, locale)}" in text
    if len(totals["taxes"]) > 1:
        assert f"{texts['tax_total']} {_money(totals['tax_total'], currency, locale)}" in text
    assert f"{texts['total']} {_money(totals['total'], currency, locale)}" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_fixed_texts_and_dates_of_the_language(
    rendered: dict[str, tuple[dict[str, Any], RenderResult]], language: str
) -> None:
    snapshot, result = rendered[language]
    text = pdf_text(result.path).casefold()  # headings are upper-cased by the stylesheet
    texts = TEXTS[language]
    for key in (
        "offer_title",
        "supplier",
        "client",
        "col_description",
        "col_unit_price",
        "subtotal",
        "net_total",
        "payment_terms",
        "special_terms",
        "referral_title",
        "referral_text",
        "offer_intro",
    ):
        assert flat(texts[key]).casefold() in text, key
    for day in (snapshot["issued_on"], snapshot["valid_until"]):
        written = format_date(date.fromisoformat(day), format="long", locale=LOCALES[language])
        assert flat(written).casefold() in text
    assert flat(texts["supersedes"].format(number="OFR-2026-0006")).casefold() in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_x_of_y_on_every_page(
    rendered: dict[str, tuple[dict[str, Any], RenderResult]], language: str
) -> None:
    _, result = rendered[language]
    pages = page_texts(result.path)
    assert result.pages == len(pages) >= 2  # twenty lines make a multi-page offer
    for number, text in enumerate(pages, start=1):
        label = TEXTS[language]["page_of"].format(page=number, pages=len(pages))
        assert flat(label) in text


def test_the_result_is_the_file_and_its_hash(
    rendered: dict[str, tuple[dict[str, Any], RenderResult]],
) -> None:
    import hashlib

    _, result = rendered["pt"]
    assert Path(result.path).is_file()
    assert result.sha256 == hashlib.sha256(Path(result.path).read_bytes()).hexdigest()


@pytest.mark.parametrize("language", LANGUAGES)
def test_client_country_printed_by_name_in_the_language(
    rendered: dict[str, tuple[dict[str, Any], RenderResult]], language: str
) -> None:
    """The snapshot keeps the ISO code; the page shows the country's name as that language
    writes it (``PL`` → Polska, Polónia, Польша)."""
    from babel import Locale

    snapshot, result = rendered[language]
    code = snapshot["client"]["country"]
    name = Locale.parse(LOCALES[language]).territories[code]
    assert name != code and name in pdf_text(result.path)
