"""One way to write money, numbers, dates and times for people: Babel (CLDR) in a locale.

Every screen, the command line's human output and the PDFs write figures through here, so
the board, the documents list, a document, the brief and an offer's PDF agree to the
character. ``--json`` keeps its plain machine format and never comes here.

- Money: the locale's currency pattern, rounded half-up to the currency's minor unit unless
  ``exact`` (a document's unit price of 0.0125 keeps its four decimals).
- A difference is always signed, with a true minus sign (U+2212): +1,008.80 / −1,008.80.
- CLDR's currency spacing, which Babel leaves out: a currency written with letters
  ("PLN", "Ft") is kept apart from the digits by a no-break space — "PLN 24,937.28", not
  "PLN24,937.28" — while a symbol ("€55,571.40") stays as CLDR writes it.
- Dates in the locale's medium form (4 Dec 2026); moments to the minute (4 Dec 2026, 14:30),
  in the moment's own time zone.

``locale`` may be left out: the user's locale, set once from the configuration
(:func:`use_locale`), is used. Babel is imported where it is used: start-up does not need it.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import Any

MINUS = "\u2212"
NBSP = "\u00a0"
_user_locale = "en_GB"


def use_locale(locale: str) -> None:
    """The user's locale (config ``locale``), for every figure written without one."""
    global _user_locale
    _user_locale = _babel_name(locale)


def user_locale() -> str:
    return _user_locale


def _babel_name(locale: str | None) -> str:
    return (locale or _user_locale).replace("-", "_")


def _quantized(amount: Decimal, currency: str) -> Decimal:
    from babel.numbers import get_currency_precision

    unit = Decimal(1).scaleb(-int(get_currency_precision(currency)))
    return amount.quantize(unit, rounding=ROUND_HALF_UP)


@cache
def _whole_pattern(locale: str) -> Any:
    """The locale's currency pattern without decimals (a card has room for 48 500 €)."""
    from babel import Locale

    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern


def _spaced(text: str, currency: str, locale: str) -> str:
    """CLDR's currencySpacing: a symbol that ends (or starts) with a letter next to a digit
    gets a no-break space between them ("PLN 1,234.50", "1 234,50 Ft" is already so)."""
    from babel.numbers import get_currency_symbol

    symbol = str(get_currency_symbol(currency, locale=locale))
    at = text.find(symbol)
    if at < 0:
        return text
    after = at + len(symbol)
    if after < len(text) and text[after].isdigit() and symbol[-1].isalpha():
        text = text[:after] + NBSP + text[after:]
    if at > 0 and text[at - 1].isdigit() and symbol[0].isalpha():
        text = text[:at] + NBSP + text[at:]
    return text


def money(
    amount: Decimal,
    currency: str,
    locale: str | None = None,
    *,
    exact: bool = False,
    whole: bool = False,
    signed: bool = False,
) -> str:
    """``amount`` as the locale writes money: ``€1,234.50``, ``1 234,50 zł``, ``PLN 24,937.28``.

    ``exact`` keeps every decimal given (documents' unit prices); ``whole`` rounds to units
    (cards and column totals); ``signed`` writes + or − before any non-zero amount.
    """
    from babel.numbers import format_currency

    name = _babel_name(locale)
    code = currency.strip().upper()
    if whole:
        value = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        text = str(
            format_currency(
                abs(value), code, format=_whole_pattern(name), locale=name, currency_digits=False
            )
        )
    elif exact:
        value = amount
        text = str(format_currency(abs(value), code, locale=name, decimal_quantization=False))
    else:
        value = _quantized(amount, code)
        text = str(format_currency(abs(value), code, locale=name))
    return _sign(value, signed) + _spaced(text, code, name)


def short_money(amount: Decimal, currency: str, locale: str | None = None) -> str:
    """Exact in whole units below 100 000, else three figures in the locale's compact form
    ("€1.25M", "1,25 mln €"): a card is 24 cells wide."""
    return _short_money(amount, currency, _babel_name(locale))


# Cached: the board writes the same few thousand figures on every keystroke of its filter,
# and Babel takes ~0.1 ms a figure.
@lru_cache(maxsize=8192)
def _short_money(amount: Decimal, currency: str, locale: str) -> str:
    if abs(amount) < 100_000:
        return money(amount, currency, locale, whole=True)
    return compact_money(amount, currency, locale)


def _fraction_for_three_figures(amount: Decimal) -> int:
    digits = len(str(int(abs(amount))))
    return max(0, 2 - (digits - 1) % 3)


def compact_money(amount: Decimal, currency: str, locale: str | None = None) -> str:
    """Three figures in the locale's compact form ("PLN 13K", "1,25 mln €"): column totals."""
    return _compact_money(amount, currency, _babel_name(locale))


@lru_cache(maxsize=4096)
def _compact_money(amount: Decimal, currency: str, name: str) -> str:
    from babel.numbers import format_compact_currency

    code = currency.strip().upper()
    fraction = _fraction_for_three_figures(amount)
    text = str(format_compact_currency(abs(amount), code, locale=name, fraction_digits=fraction))
    return _sign(amount, False) + _spaced(text, code, name)


def compact_number(value: Decimal, locale: str | None = None) -> str:
    """Three figures in the locale's compact form without a currency ("2.4K", "2,4 tys.")."""
    return _compact_number(value, _babel_name(locale))


@lru_cache(maxsize=4096)
def _compact_number(value: Decimal, locale: str) -> str:
    from babel.numbers import format_compact_decimal

    fraction = _fraction_for_three_figures(value)
    text = format_compact_decimal(abs(value), locale=_babel_name(locale), fraction_digits=fraction)
    return _sign(value, False) + str(text)


def number(value: Decimal | int, locale: str | None = None, *, signed: bool = False) -> str:
    """A quantity or count as the locale writes it, every decimal given kept."""
    from babel.numbers import format_decimal

    exact = Decimal(value)
    text = str(format_decimal(abs(exact), locale=_babel_name(locale), decimal_quantization=False))
    return _sign(exact, signed) + text


def _sign(value: Decimal, signed: bool) -> str:
    if value < 0:
        return MINUS
    return "+" if signed and value > 0 else ""


def day(value: date, locale: str | None = None) -> str:
    """A date in the locale's medium form: 4 Dec 2026, 4 de dez. de 2026, 2026-12-04."""
    from babel.dates import format_date

    return str(format_date(value, format="medium", locale=_babel_name(locale)))


def moment(value: datetime, locale: str | None = None) -> str:
    """A date and time to the minute, in the moment's own zone: 4 Dec 2026, 14:30."""
    from babel import Locale
    from babel.dates import format_date, format_time

    name = _babel_name(locale)
    # The locale's own way of joining a medium date and a short (minute) time.
    joined = str(Locale.parse(name).datetime_formats["medium"])
    the_day = format_date(value, format="medium", locale=name)
    the_time = format_time(value, format="short", tzinfo=value.tzinfo, locale=name)
    return joined.replace("{1}", str(the_day)).replace("{0}", str(the_time))


def when(value: date | datetime | None, locale: str | None = None, empty: str = "—") -> str:
    """A moment to the minute, a date as a date, nothing as ``empty``."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        return moment(value, locale)
    return day(value, locale)


def stored_money(
    value: object, currency: str, locale: str | None = None, *, signed: bool = False
) -> str:
    """A figure as a snapshot stores it (a decimal string, every digit kept) as money;
    nothing (a tax rate one version lacks) as —."""
    if value is None or value == "":
        return "—"
    return money(Decimal(str(value)), currency, locale, exact=True, signed=signed)


def stored_number(value: object, locale: str | None = None) -> str:
    """A quantity, discount or rate as a snapshot stores it, in the locale's digits."""
    if value is None or value == "":
        return "—"
    return number(Decimal(str(value)), locale)


_LINE_MONEY = {"unit_price", "net"}
_LINE_NUMBERS = {"quantity", "discount", "tax_rate"}


def line_change_text(
    name: str, change: dict[str, str], currency: str, locale: str | None = None
) -> str:
    """One changed field of an offer line, in the user's words: ``unit price €10.00 → €9.00``."""
    if name in _LINE_MONEY:
        old, new = (stored_money(change[k], currency, locale) for k in ("old", "new"))
    elif name in _LINE_NUMBERS:
        old, new = (stored_number(change[k], locale) for k in ("old", "new"))
    else:
        old, new = change["old"], change["new"]
    from accmgr.domain.offer_diff import field_words  # offer_diff formats with this module

    return f"{field_words(name)} {old} → {new}"


def change_text(name: str, change: dict[str, str], currency: str, locale: str | None = None) -> str:
    """A total of an offer diff: old → new (signed change). Money, except the document
    discount, which is a percentage."""
    if name == "document_discount":
        old, new = stored_number(change["old"], locale), stored_number(change["new"], locale)
        delta = number(Decimal(change["change"]), locale, signed=True)
        return f"{old} % → {new} % ({delta} points)"
    old, new = (
        stored_money(change["old"], currency, locale),
        stored_money(change["new"], currency, locale),
    )
    return f"{old} → {new} ({stored_money(change['change'], currency, locale, signed=True)})"
