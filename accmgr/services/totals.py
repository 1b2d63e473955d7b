"""The board's totals: per currency, and — once exchange rates exist — in one currency.

Amounts in different currencies are never added together here. ``reporting_converter`` is
the one place that may turn a set of per-currency amounts into a single figure in the
reporting currency; until rates are kept it converts nothing and every screen shows the
per-currency amounts instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from accmgr.services.workspace import Workspace

Amounts = dict[str, Decimal]


@dataclass(frozen=True)
class Converted:
    """Amounts as one figure in the reporting currency."""

    currency: str
    amount: Decimal
    # Amounts in a currency without a rate: counted apart and flagged, never mixed in.
    unconverted: Amounts = field(default_factory=dict)


Converter = Callable[[Mapping[str, Decimal]], Converted | None]


def no_rates(amounts: Mapping[str, Decimal]) -> Converted | None:
    """Converts nothing: every total is shown per currency."""
    return None


def reporting_converter(ws: Workspace, day: date) -> Converter:
    """Per-currency amounts → one figure in the reporting currency at ``day``'s rates.

    Read under the store lock in the board's worker; the function it returns must be pure
    and cheap (the columns' totals are worked out again on every filter keystroke). No
    exchange rates are kept yet, so it converts nothing (None: show per currency).
    """
    return no_rates


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
    zero = Decimal(0)
    for deal in deals:
        cur = deal.currency
        counts[cur] = counts.get(cur, 0) + 1
        if deal.won:
            won_count += 1
            won[cur] = won.get(cur, zero) + deal.value
        else:
            open_[cur] = open_.get(cur, zero) + deal.value
            weighted[cur] = weighted.get(cur, zero) + deal.weighted
    return Totals(sum(counts.values()), open_, weighted, won, counts, won_count)


def ranked(amounts: Mapping[str, Decimal], order: Iterable[str] = ()) -> list[tuple[str, Decimal]]:
    """``amounts`` with the currencies of ``order`` first (in that order), then by name."""
    first = [cur for cur in order if cur in amounts]
    rest = sorted(cur for cur in amounts if cur not in first)
    return [(cur, amounts[cur]) for cur in first + rest]


__all__ = [
    "Amounts",
    "Converted",
    "Converter",
    "Counted",
    "Totals",
    "no_rates",
    "ranked",
    "reporting_converter",
    "totals_of",
]
