"""Exchange rates in the store: typed by hand, imported from the ECB, read as a RateBook.

The ``rates`` table holds one record per base currency and day, ``{"base": "EUR", "day":
"2026-12-04", "rates": {"PLN": "4.2675", …}}``: the ECB's historical file is some 6 800 days of
30-odd currencies, and one record per rate would make every start-up read 200 000 records.
Writing a rate that is already stored with the same figure changes nothing, so importing a
file twice is harmless; a different figure for the same pair and day replaces the old one and
is counted as changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from weakref import WeakKeyDictionary

from accmgr.domain.exchange import ExchangeRate, RateBook
from accmgr.errors import ValidationError
from accmgr.services.ports import TransactionPort
from accmgr.services.workspace import Workspace

TABLE = "rates"


def reporting_currency(ws: Workspace) -> str:
    return ws.settings.reporting


def _record(doc: Mapping[str, Any]) -> tuple[str, str, date, Mapping[str, str]]:
    """One stored record as the rate book takes it; a damaged record is named, never skipped."""
    name = f"exchange rates record {doc.get('id')!r}"
    try:
        base, quotes = str(doc["base"]), doc["rates"]
        if not isinstance(quotes, dict):
            raise TypeError(f"rates is {type(quotes).__name__}")
        return name, base, date.fromisoformat(str(doc["day"])), quotes
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(name, f"expected base, day and rates, got {exc}") from None


# Per store: the (id, revision) of every rates record the book was built from. Every write
# bumps a revision and ids are never reused, so an equal key means the very same rates.
_BOOKS: WeakKeyDictionary[object, tuple[tuple[tuple[str, int], ...], RateBook]] = (
    WeakKeyDictionary()
)


def rate_book(ws: Workspace) -> RateBook:
    """Every stored rate; rebuilt only when a rates record changed (their ids and revisions)."""
    docs = ws.store.all(TABLE)
    key = tuple((str(doc["id"]), int(doc.get("rev", 0))) for doc in docs)
    cached = _BOOKS.get(ws.store)
    if cached is not None and cached[0] == key:
        return cached[1]
    book = RateBook.from_records(_record(doc) for doc in docs)
    _BOOKS[ws.store] = (key, book)
    return book


@dataclass(frozen=True)
class RatesWritten:
    """What a write did: rates new to the store, changed figures, already there as they are."""

    added: int
    changed: int
    unchanged: int
    previous: Decimal | None = None  # for one rate set by hand: the figure it replaced

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged


def write_rates(tx: TransactionPort, rates: Sequence[ExchangeRate]) -> RatesWritten:
    """Merge ``rates`` into the stored records inside ``tx`` (see the module docstring)."""
    existing = {(str(doc["base"]), str(doc["day"])): doc for doc in tx.find(TABLE)}
    grouped: dict[tuple[str, str], dict[str, Decimal]] = {}
    for rate in rates:
        grouped.setdefault((rate.base, rate.day.isoformat()), {})[rate.quote] = rate.rate
    added = changed = unchanged = 0
    previous: Decimal | None = None
    for (base, day), quotes in grouped.items():
        doc = existing.get((base, day))
        stored: dict[str, str] = dict(doc["rates"]) if doc is not None else {}
        for quote, value in quotes.items():
            before = stored.get(quote)
            if before is None:
                added += 1
            elif Decimal(before) == value:
                unchanged += 1
                continue
            else:
                changed += 1
                previous = Decimal(before)
            stored[quote] = str(value)
        if doc is None:
            fields = {"base": base, "day": day, "rates": stored}
            tx.insert(TABLE, {"id": tx.new_id(TABLE), **fields})
        elif stored != doc["rates"]:
            tx.update(TABLE, doc["id"], {**doc, "rates": stored}, expected_rev=doc["rev"])
    return RatesWritten(added, changed, unchanged, previous)


def read_rate(
    base: str, quote: str, rate: str, day: str | None, *, ws: Workspace, day_field: str = "on"
) -> ExchangeRate:
    """The rate as typed (``EUR``, ``pln``, ``4,2675``, ``3 Dec``; no day: today), checked;
    ValidationError names the field. The CLI and the Settings screen both read it so."""
    from accmgr.domain.dates import parse_date
    from accmgr.domain.money import parse_amount

    today = ws.today()
    on = parse_date(day, today=today, locale=ws.locale, field=day_field) if day else today
    return ExchangeRate(base, quote, parse_amount(rate, "rate"), on)


def set_rate(ws: Workspace, base: str, quote: str, rate: Decimal, day: date) -> RatesWritten:
    """Store 1 ``base`` = ``rate`` ``quote`` on ``day`` (replacing that day's figure, if any)."""
    checked = ExchangeRate(base, quote, rate, day)
    with ws.store.transaction() as tx:
        return write_rates(tx, [checked])


def import_rates(ws: Workspace, rates: Iterable[ExchangeRate]) -> RatesWritten:
    """Store every rate in one transaction: all of them, or none."""
    with ws.store.transaction() as tx:
        return write_rates(tx, list(rates))


def rate_rows(ws: Workspace, *, every: bool = False) -> list[ExchangeRate]:
    """The newest rate of each pair (``every``: all stored rates), by pair then newest first."""
    book = rate_book(ws)
    found = book.all() if every else book.latest()
    return sorted(found, key=lambda r: (r.base, r.quote, -r.day.toordinal()))
