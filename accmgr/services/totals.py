"""The board's totals: per currency, and in the reporting currency at the rates of a day.

Amounts in different currencies are never added together here. ``reporting_converter`` is
the one place that turns a set of per-currency amounts into a single figure in the
reporting currency (through ``services.conversion``, the rates every other screen uses);
an amount without a rate is left out of that figure and named in the ``Total``'s missing
parts. When the rates cannot be read the board gets ``no_rates`` and shows per currency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from accmgr.domain.exchange import Total

if TYPE_CHECKING:
    from accmgr.services.workspace import Workspace

Amounts = dict[str, Decimal]

Converter = Callable[[Mapping[str, Decimal]], Total | None]


def no_rates(amounts: Mapping[str, Decimal]) -> Total | None:
    """Converts nothing: every total is shown per currency."""
    return None


def reporting_converter(ws: Workspace, day: date) -> Converter:
    """Per-currency amounts → one figure in the reporting currency at ``day``'s rates (the
    latest on or before it).

    Read under the store lock in the board's worker; the function it returns is pure and
    cheap (the columns' totals are worked out again on every filter keystroke). Raises
    ``AccmgrError`` when a rates record is damaged (the board then uses ``no_rates``).
    """
    from accmgr.services.conversion import reporting

    at = reporting(ws, day)

    def convert(amounts: Mapping[str, Decimal]) -> Total:
        return at.total((amount, currency) for currency, amount in amounts.items())

    return convert


class Counted(Protocol):
    """What a total needs of one deal (a board card has these)."""

    @property
    def currency(self) -> str: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def weighted(self) -> Decimal: ...
    @property
    def won(self) -> bool: ...


@dataclass(frozen=True)
class Totals:
    """Deals counted, their value per currency: open pipeline, weighted, and won apart."""

    count: int = 0
    open: Amounts = field(default_factory=dict)
    weighted: Amounts = field(default_factory=dict)
    won: Amounts = field(default_factory=dict)
    # Deals per currency: the currency most deals use is the one shown first.
    deals: dict[str, int] = field(default_factory=dict)
    won_count: int = 0
    won_deals: dict[str, int] = field(default_factory=dict)  # won deals per currency

    @property
    def open_deals(self) -> dict[str, int]:
        """Open (not won) deals per currency."""
        return {
            cur: n - self.won_deals.get(cur, 0)
            for cur, n in self.deals.items()
            if n > self.won_deals.get(cur, 0)
        }

    @property
    def currencies(self) -> list[str]:
        """Every currency of these deals, the most used first."""
        return sorted(self.deals, key=lambda cur: (-self.deals[cur], cur))


def totals_of(deals: Iterable[Counted]) -> Totals:
    open_: Amounts = {}
    weighted: Amounts = {}
    won: Amounts = {}
    counts: dict[str, int] = {}
    won_count = 0
    won_deals: dict[str, int] = {}
    zero = Decimal(0)
    for deal in deals:
        cur = deal.currency
        counts[cur] = counts.get(cur, 0) + 1
        if deal.won:
            won_count += 1
            won_deals[cur] = won_deals.get(cur, 0) + 1
            won[cur] = won.get(cur, zero) + deal.value
        else:
            open_[cur] = open_.get(cur, zero) + deal.value
            weighted[cur] = weighted.get(cur, zero) + deal.weighted
    return Totals(sum(counts.values()), open_, weighted, won, counts, won_count, won_deals)


def missing_rates(totals: Totals, convert: Converter) -> dict[str, int]:
    """How many of these deals are in each currency that has no rate: ``{"CHF": 2}`` (none
    when nothing is converted: then every total is per currency anyway)."""
    every: Amounts = dict(totals.open)
    for cur, amount in totals.won.items():
        every[cur] = every.get(cur, Decimal(0)) + amount
    converted = convert(every)
    if converted is None:
        return {}
    return {part.currency: totals.deals.get(part.currency, 0) for part in converted.missing}


def ranked(amounts: Mapping[str, Decimal], order: Iterable[str] = ()) -> list[tuple[str, Decimal]]:
    """``amounts`` with the currencies of ``order`` first (in that order), then by name."""
    first = [cur for cur in order if cur in amounts]
    rest = sorted(cur for cur in amounts if cur not in first)
    return [(cur, amounts[cur]) for cur in first + rest]


__all__ = [
    "Amounts",
    "Converter",
    "Counted",
    "Totals",
    "missing_rates",
    "no_rates",
    "ranked",
    "reporting_converter",
    "totals_of",
]
