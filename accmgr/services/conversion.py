"""Totals in the reporting currency, for every screen and command that adds amounts up.

Open figures (pipeline, a client's open value) are converted at the rates of today: the
latest on or before today. The JSON of a converted amount carries the original amount and
currency beside the converted one, with the rate and its date; an amount without a rate says
so instead of carrying a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from accmgr.domain.exchange import (
    Conversion,
    Converted,
    RateBook,
    Total,
    convert,
    total_of,
)
from accmgr.services.workspace import Workspace

#: Where the user adds a missing rate, as each front end says it.
IN_APP = "in Settings"


def cli_hint(reporting: str, currency: str) -> str:
    return f"with `accmgr rate set {reporting} {currency} RATE`"


@dataclass(frozen=True)
class Reporting:
    """The reporting currency, the day figures are converted at, and the rates known."""

    currency: str
    day: date
    book: RateBook

    def convert(self, amount: Decimal, currency: str) -> Conversion:
        return convert(amount, currency, self.currency, self.day, self.book)

    def total(self, amounts: Iterable[tuple[Decimal, str]]) -> Total:
        return total_of(amounts, self.currency, self.day, self.book)


def reporting(ws: Workspace, day: date | None = None) -> Reporting:
    from accmgr.services.rates import rate_book, reporting_currency

    return Reporting(reporting_currency(ws), day or ws.today(), rate_book(ws))


def conversion_dict(result: Conversion) -> dict[str, Any]:
    """``{"amount", "currency", "rate", "rate_date", "rate_via"}`` in the reporting currency;
    without a rate, ``amount`` and ``rate`` are null and ``no_rate`` says why."""
    if isinstance(result, Converted):
        day = result.rate.day
        return {
            "amount": str(result.value),
            "currency": result.target,
            "rate": str(result.rate.shown),
            "rate_date": day.isoformat() if day else None,
            "rate_via": result.rate.via,
        }
    return {
        "amount": None,
        "currency": result.target,
        "rate": None,
        "rate_date": None,
        "rate_via": None,
        "no_rate": result.reason,
    }


def total_dict(total: Total) -> dict[str, Any]:
    """A total for scripts: the sum, what it includes, and each currency's part."""
    oldest = total.oldest_rate_day
    return {
        "amount": str(total.amount),
        "currency": total.currency,
        "day": total.day.isoformat(),
        "oldest_rate_date": oldest.isoformat() if oldest else None,
        "count": total.count,
        "without_rate": total.missing_count,
        "parts": [
            {
                "amount": str(part.amount),
                "currency": part.currency,
                "count": part.count,
                "converted": conversion_dict(part.conversion),
            }
            for part in total.parts
        ],
    }


def total_text(total: Total, money: Callable[[Decimal, str], str]) -> str:
    """ "12 345.00 EUR" with the rate date when a rate was needed: "(rates of 2026-12-04)"."""
    text = money(total.amount, total.currency)
    oldest = total.oldest_rate_day
    if oldest is not None:
        text += f" (rates of {oldest.isoformat()})"
    return text


def open_value(ws: Workspace, client_id: str, at: Reporting | None = None) -> Total:
    """The client's open deals (neither won, lost nor complete) in the reporting currency."""
    at = at or reporting(ws)
    return at.total(
        (Decimal(str(doc.get("value", "0"))), str(doc.get("currency", "EUR")))
        for doc in ws.store.find("deals", client_id=client_id)
        if doc.get("outcome") is None and not doc.get("completed_on")
    )
