"""Exchange rates, and totals in one reporting currency.

A rate says how many units of ``quote`` one unit of ``base`` buys on ``day`` (EUR → PLN
4.2675: 1 EUR = 4.2675 PLN), as the European Central Bank publishes them (always EUR → X).
An amount is converted at the latest rate on or before the day of the figure; a stored rate
also serves the opposite direction (1 / rate), and two currencies neither of which is the
euro are crossed through it (PLN → HUF = PLN → EUR → HUF). Of the ways to get a rate, the
most recent one wins (a cross rate is as old as its older leg); on a tie, a stored pair wins
over a cross, and the direction as typed over its inverse.

A missing rate is a result of its own (:class:`NoRate`), never a zero: totals keep such
amounts apart and count them, so a figure is never silently left out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from accmgr.domain.money import check_currency, quantize
from accmgr.errors import ValidationError

#: The ECB's reference rates are all from the euro: cross rates go through it.
PIVOT = "EUR"

# Division (inverse and cross rates) cannot be exact; 34 digits keep the error far below any
# currency's minor unit before the single rounding at the end.
_WIDE = Context(prec=34, rounding=ROUND_HALF_UP)
_SHOWN = Context(prec=10, rounding=ROUND_HALF_UP)
_MAX_RATE = Decimal(10) ** 9
_MAX_RATE_PLACES = 10
# A stored rate as text: what check_rate accepts (> 0, < 10⁹, at most 10 decimals); one
# match per record of a day's rates, lines joined, keeps reading a long history fast.
_RATE_TEXT = r"(?=[0.]*[1-9])\d{1,9}(?:\.\d{1,10})?"
_RATE_LINE = re.compile(_RATE_TEXT)
_RATE_LINES = re.compile(rf"(?:{_RATE_TEXT}\n)*{_RATE_TEXT}")


def _check_texts(texts: Iterable[object]) -> None:
    items = list(texts)
    if all(isinstance(t, str) for t in items) and (
        not items or _RATE_LINES.fullmatch("\n".join(items))  # type: ignore[arg-type]
    ):
        return
    bad = next(t for t in items if not isinstance(t, str) or not _RATE_LINE.fullmatch(t))
    raise ValidationError("rate", f"expected a rate such as 4.2675, got {bad!r}")


def check_rate(value: Decimal, field: str = "rate") -> Decimal:
    """``value`` if it is a usable rate: greater than 0, below 10⁹, at most 10 decimals."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(field, f"expected a rate such as 4.2675, got {value!r}")
    if value <= 0:
        raise ValidationError(field, f"expected a rate greater than 0, got {value}")
    if value >= _MAX_RATE:
        raise ValidationError(field, f"expected a rate below 1 000 000 000, got {value}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if -exponent > _MAX_RATE_PLACES:
        raise ValidationError(
            field, f"expected at most {_MAX_RATE_PLACES} decimal places, got {value}"
        )
    return value


_CODES: dict[object, str] = {}


def _checked_code(code: object, field: str) -> str:
    """check_currency, once per distinct code: the ECB's history is 200 000 rates."""
    checked = _CODES.get(code)
    if checked is None:
        checked = check_currency(code, field)  # type: ignore[arg-type]
        _CODES[code] = checked
    return checked


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """1 ``base`` = ``rate`` ``quote`` on ``day``."""

    base: str
    quote: str
    rate: Decimal
    day: date

    def __post_init__(self) -> None:
        base = _checked_code(self.base, "from")
        quote = _checked_code(self.quote, "to")
        if base == quote:
            raise ValidationError("to", f"expected a currency other than {base}, got {quote}")
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "quote", quote)
        object.__setattr__(self, "rate", check_rate(self.rate))

    @classmethod
    def checked_already(cls, base: str, quote: str, rate: Decimal, day: date) -> ExchangeRate:
        """A rate whose parts the caller has validated (a file's 200 000 rates, once each)."""
        made = object.__new__(cls)
        for name, value in (("base", base), ("quote", quote), ("rate", rate), ("day", day)):
            object.__setattr__(made, name, value)
        return made


@dataclass(frozen=True, slots=True)
class Leg:
    """A stored rate as used: forwards (× rate) or inverted (÷ rate)."""

    rate: ExchangeRate
    inverted: bool = False

    @property
    def factor(self) -> Decimal:
        with localcontext(_WIDE):
            return 1 / self.rate.rate if self.inverted else +self.rate.rate


@dataclass(frozen=True, slots=True)
class AppliedRate:
    """How ``base`` becomes ``quote``: the stored rates used and the day they are from."""

    base: str
    quote: str
    legs: tuple[Leg, ...]  # empty: the same currency

    @property
    def day(self) -> date | None:
        """The day of the oldest stored rate used (None for the same currency)."""
        return min((leg.rate.day for leg in self.legs), default=None)

    @property
    def factor(self) -> Decimal:
        """Units of ``quote`` per ``base``, unrounded (34 digits)."""
        with localcontext(_WIDE):
            result = Decimal(1)
            for leg in self.legs:
                result *= leg.factor
            return result

    @property
    def shown(self) -> Decimal:
        """The factor as shown to people and scripts: ten significant digits."""
        return _SHOWN.plus(self.factor).normalize(_SHOWN)

    @property
    def via(self) -> str | None:
        """The currency crossed through, if any."""
        return PIVOT if len(self.legs) == 2 else None


@dataclass(frozen=True, slots=True)
class Converted:
    amount: Decimal
    currency: str
    value: Decimal  # in ``target``, rounded half-up to its minor unit
    target: str
    rate: AppliedRate


@dataclass(frozen=True, slots=True)
class NoRate:
    """No rate from ``currency`` to ``target`` on or before ``day``: not converted."""

    amount: Decimal
    currency: str
    target: str
    day: date

    @property
    def reason(self) -> str:
        return f"no rate from {self.currency} to {self.target} on or before {self.day.isoformat()}"


Conversion = Converted | NoRate


class RateBook:
    """Every known rate, indexed for "the latest on or before this day".

    Built from stored records (:meth:`from_records`), a rate stays text until a lookup needs
    it, and is checked then: a database with the ECB's whole history holds 200 000 rates, of
    which a total needs a handful.
    """

    def __init__(self, rates: Iterable[ExchangeRate] = ()) -> None:
        self._days: dict[tuple[str, str], list[date]] = {}
        self._rates: dict[tuple[str, str], list[ExchangeRate | tuple[str, str]]] = {}
        for rate in sorted(rates, key=lambda r: r.day):
            self._add(rate.base, rate.quote, rate.day, rate)

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, str, date, Mapping[str, str]]]) -> RateBook:
        """From (record name, base, day, {quote: rate as text}); ValidationError names the
        first bad record. The checks here are cheap (a code once, a pattern per figure) and
        leave nothing that can fail when a figure is needed later."""
        book = cls()
        for name, base, day, quotes in sorted(records, key=lambda r: r[2]):
            try:
                base = _checked_code(base, "from")
                _check_texts(quotes.values())
                for quote, text in quotes.items():
                    if _checked_code(quote, "to") == base:
                        raise ValidationError("to", f"expected a currency other than {base}")
                    book._add(base, quote, day, (name, text))
            except ValidationError as exc:
                raise ValidationError(name, str(exc)) from None
        return book

    def _add(self, base: str, quote: str, day: date, rate: ExchangeRate | tuple[str, str]) -> None:
        pair = (base, quote)
        days = self._days.get(pair)
        if days is None:
            self._days[pair], self._rates[pair] = [day], [rate]
        elif days[-1] == day:
            self._rates[pair][-1] = rate  # a later entry for the same day replaces it
        else:
            days.append(day)
            self._rates[pair].append(rate)

    def _rate_at(self, pair: tuple[str, str], index: int) -> ExchangeRate:
        found = self._rates[pair][index]
        if isinstance(found, ExchangeRate):
            return found
        name, text = found
        try:
            rate = ExchangeRate(pair[0], pair[1], Decimal(text), self._days[pair][index])
        except ValidationError as exc:
            raise ValidationError(name, str(exc)) from None
        except (ArithmeticError, ValueError, TypeError):
            raise ValidationError(name, f"rate: expected a number, got {text!r}") from None
        self._rates[pair][index] = rate
        return rate

    def __len__(self) -> int:
        return sum(len(days) for days in self._days.values())

    def _stored(self, base: str, quote: str, day: date) -> ExchangeRate | None:
        days = self._days.get((base, quote))
        if not days:
            return None
        index = bisect.bisect_right(days, day)
        return self._rate_at((base, quote), index - 1) if index else None

    def _pair(self, base: str, quote: str, day: date) -> Leg | None:
        forward = self._stored(base, quote, day)
        backward = self._stored(quote, base, day)
        if backward is not None and (forward is None or backward.day > forward.day):
            return Leg(backward, inverted=True)
        return Leg(forward) if forward is not None else None

    def find(self, base: str, quote: str, day: date) -> AppliedRate | None:
        """The most recent way from ``base`` to ``quote`` on or before ``day``, or None."""
        base, quote = check_currency(base, "from"), check_currency(quote, "to")
        if base == quote:
            return AppliedRate(base, quote, ())
        found: list[AppliedRate] = []
        direct = self._pair(base, quote, day)
        if direct is not None:
            found.append(AppliedRate(base, quote, (direct,)))
        if PIVOT not in (base, quote):
            first, second = self._pair(base, PIVOT, day), self._pair(PIVOT, quote, day)
            if first is not None and second is not None:
                found.append(AppliedRate(base, quote, (first, second)))
        if not found:
            return None
        # max() keeps the first of equals: the stored pair before the cross.
        return max(found, key=lambda applied: applied.day or date.min)

    def latest(self) -> list[ExchangeRate]:
        """The newest stored rate of every pair."""
        return [self._rate_at(pair, len(days) - 1) for pair, days in self._days.items()]

    def all(self) -> list[ExchangeRate]:
        return [
            self._rate_at(pair, index)
            for pair, days in self._days.items()
            for index in range(len(days))
        ]


def convert(amount: Decimal, currency: str, target: str, day: date, book: RateBook) -> Conversion:
    """``amount`` in ``target`` at the latest rate on or before ``day``, or :class:`NoRate`."""
    currency, target = check_currency(currency), check_currency(target)
    applied = book.find(currency, target, day)
    if applied is None:
        return NoRate(amount, currency, target, day)
    with localcontext(_WIDE):
        exact = amount * applied.factor
    return Converted(amount, currency, quantize(exact, target), target, applied)


# --- totals ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CurrencyPart:
    """The amounts of one currency in a total: their sum, how many, and that sum converted."""

    currency: str
    amount: Decimal
    count: int
    conversion: Conversion


@dataclass(frozen=True)
class Total:
    """A sum in ``currency``; the amounts that have no rate are counted apart, never added.

    Each currency's amounts are added first and converted once, so the parts shown one key
    away add up to the total exactly.
    """

    currency: str
    day: date
    amount: Decimal
    parts: tuple[CurrencyPart, ...] = field(default=())

    @property
    def converted(self) -> tuple[CurrencyPart, ...]:
        return tuple(p for p in self.parts if isinstance(p.conversion, Converted))

    @property
    def missing(self) -> tuple[CurrencyPart, ...]:
        return tuple(p for p in self.parts if isinstance(p.conversion, NoRate))

    @property
    def count(self) -> int:
        """How many amounts the total includes."""
        return sum(p.count for p in self.converted)

    @property
    def missing_count(self) -> int:
        return sum(p.count for p in self.missing)

    @property
    def oldest_rate_day(self) -> date | None:
        """The day of the oldest rate the total rests on (None: no conversion was needed)."""
        days = [
            p.conversion.rate.day
            for p in self.converted
            if isinstance(p.conversion, Converted) and p.conversion.rate.day is not None
        ]
        return min(days, default=None)


def total_of(
    amounts: Iterable[tuple[Decimal, str]], target: str, day: date, book: RateBook
) -> Total:
    """The sum of ``amounts`` (amount, currency) in ``target`` at the rates of ``day``."""
    target = check_currency(target)
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for amount, currency in amounts:
        sums[currency] = sums.get(currency, Decimal(0)) + amount
        counts[currency] = counts.get(currency, 0) + 1
    parts = tuple(
        CurrencyPart(cur, sums[cur], counts[cur], convert(sums[cur], cur, target, day, book))
        for cur in sorted(sums, key=lambda c: (c != target, -counts[c], c))
    )
    added = quantize(
        sum((p.conversion.value for p in parts if isinstance(p.conversion, Converted)), Decimal(0)),
        target,
    )
    return Total(target, day, added, parts)


def missing_note(count: int, noun: str, currency: str, hint: str) -> str:
    """ "2 deals in RUB have no rate — add one in Settings"."""
    many = count != 1
    return (
        f"{count} {noun}{'s' if many else ''} in {currency} "
        f"{'have' if many else 'has'} no rate — add one {hint}"
    )


def missing_notes(total: Total, noun: str, hint: str) -> list[str]:
    """One line per currency of ``total`` that has no rate (see :func:`missing_note`)."""
    return [missing_note(p.count, noun, p.currency, hint) for p in total.missing]
