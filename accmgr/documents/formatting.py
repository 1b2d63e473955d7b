"""Numbers, money and dates as the document's language writes them (Babel, CLDR).

Every figure comes from the snapshot as a decimal string and is only *formatted* here:
nothing is rounded or recomputed, so the PDF prints exactly what the app showed.
``decimal_quantization=False`` is what guarantees it — a unit price of 0.0125 prints its
four decimals instead of being rounded to the currency's two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_percent

from accmgr.domain import display

# The locale each document language is written in.
LOCALES = {
    "en": "en_GB",
    "pt": "pt_PT",
    "lt": "lt_LT",
    "ru": "ru_RU",
    "pl": "pl_PL",
    "hu": "hu_HU",
}


class FormattingError(ValueError):
    """A snapshot value is not the decimal or ISO date it must be."""


def locale_for(language: str) -> str:
    try:
        return LOCALES[language]
    except KeyError:
        raise FormattingError(f"no locale for document language {language!r}") from None


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, float):  # a float has already lost the exact figure
        raise FormattingError(f"{what}: expected a decimal string, got the float {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise FormattingError(f"{what}: expected a decimal string, got {value!r}") from None
    if not number.is_finite():
        raise FormattingError(f"{what}: expected a finite number, got {value!r}")
    return number


@dataclass(frozen=True)
class Formatter:
    """Formats one document's figures in one locale and currency."""

    locale: str
    currency: str

    @classmethod
    def for_language(cls, language: str, currency: str) -> Formatter:
        return cls(locale_for(language), currency)

    def money(self, value: object) -> str:
        # The one formatter the screens use too, so the PDF prints what the app shows.
        return display.money(_decimal(value, "amount"), self.currency, self.locale, exact=True)

    def number(self, value: object) -> str:
        return display.number(_decimal(value, "quantity"), self.locale)

    def percent(self, value: object) -> str:
        """A percentage given in percent (``"12.5"`` → 12,5 %); scaleb moves the point exactly."""
        share = _decimal(value, "percentage").scaleb(-2)
        return str(format_percent(share, locale=self.locale, decimal_quantization=False))

    def country(self, code: object) -> str:
        """A country's name in this locale (``PL`` → Polska, Polen, Польша); anything that is
        not a known two-letter code is printed as it is."""
        from babel import Locale

        text = "" if code is None else str(code).strip()
        if len(text) != 2 or not text.isalpha():
            return text
        return str(Locale.parse(self.locale).territories.get(text.upper(), text))

    def date(self, value: object) -> str:
        if isinstance(value, date):
            day = value
        else:
            try:
                day = date.fromisoformat(str(value))
            except ValueError:
                raise FormattingError(
                    f"expected an ISO date such as 2026-11-23, got {value!r}"
                ) from None
        return str(format_date(day, format="long", locale=self.locale))
