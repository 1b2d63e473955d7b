"""The pipeline board's read path: what a card shows, projected from the stored deals.

The board shows every open deal — 3 300 of them with a key-account manager's data — and is
the screen the app starts on. Validating each whole deal (its calls, meetings, needs,
objections…) through the domain model to show a dozen fields cost more than everything else
the board does, so the board reads those fields straight from the stored documents with
cheap checks (:func:`project`). Anything those checks do not expect goes through the full
``Deal`` validation instead, so a damaged record is reported exactly as when a deal is
opened. The rules a card shows — chance, days in stage, stall — are the domain's own
functions (``accmgr.domain.deal``), the very ones a loaded ``Deal`` uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from accmgr.domain.deal import (
    Deal,
    deal_is_open,
    stage_days,
    stall_reasons_for,
    weighted_amount,
    win_probability,
)
from accmgr.domain.money import check_currency
from accmgr.domain.reliability import ReliabilityWarning
from accmgr.domain.stages import Stage, StageRule
from accmgr.errors import AccmgrError
from accmgr.services.totals import Amounts, Converter, no_rates, reporting_converter
from accmgr.services.workspace import Workspace

_TITLE_MAX = 300  # ShortText's limit: a longer title goes through the full validation


@dataclass(frozen=True, slots=True)
class CardFacts:
    """The stored fields of one deal that its card shows or its rules need."""

    deal_id: str
    rev: int
    client_id: str
    title: str
    stage: Stage
    value: Decimal
    currency: str
    probability_override: Decimal | None
    owner: str
    tags: tuple[str, ...]
    next_step: str
    next_step_due: date | None
    entered_at: datetime  # when the deal entered its current stage
    outcome: str | None
    completed_on: date | None

    @property
    def is_open(self) -> bool:
        return deal_is_open(self.outcome, self.completed_on)

    @property
    def is_won(self) -> bool:
        """Booked revenue (Fulfilment, Referrals): counted as won, never as pipeline."""
        return self.outcome == "won"


@dataclass(frozen=True, slots=True)
class CardFigures:
    """What the domain's rules say about one deal at one moment."""

    probability: Decimal
    stage_probability: Decimal | None  # the stage default, shown when the deal overrides it
    weighted: Decimal
    days: int
    stalled: tuple[str, ...]


def facts_of(deal: Deal) -> CardFacts:
    """The card's fields of a fully loaded deal."""
    return CardFacts(
        deal_id=deal.id,
        rev=deal.rev,
        client_id=deal.client_id,
        title=deal.title,
        stage=deal.stage,
        value=deal.value,
        currency=deal.currency,
        probability_override=deal.probability_override,
        owner=deal.owner,
        tags=deal.tags,
        next_step=deal.next_step,
        next_step_due=deal.next_step_due,
        entered_at=deal.current_entry.entered_at,
        outcome=deal.outcome,
        completed_on=deal.completed_on,
    )


def project(doc: Mapping[str, Any]) -> CardFacts:
    """The card's fields of a stored deal, without validating the rest of it.

    Raises the domain's ValidationError (naming the field) when the deal is damaged.
    """
    try:
        return _project(doc)
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError):
        # Not what the app writes: the full model decides (and names what is wrong).
        return facts_of(Deal.from_dict(doc))


def card_figures(facts: CardFacts, now: datetime, rules: Mapping[Stage, StageRule]) -> CardFigures:
    probability = win_probability(facts.stage, facts.outcome, facts.probability_override, rules)
    days = stage_days(facts.entered_at, None, now)
    stalled: tuple[str, ...] = ()
    # A won deal is booked revenue being delivered, not a sale going stale (issue 10).
    if facts.is_open and not facts.is_won:
        stalled = tuple(
            stall_reasons_for(facts.stage, days, facts.next_step, facts.next_step_due, now, rules)
        )
    return CardFigures(
        probability=probability,
        stage_probability=(
            rules[facts.stage].default_probability
            if facts.probability_override is not None
            else None
        ),
        weighted=Decimal(0) if facts.is_won else weighted_amount(facts.value, probability),
        days=days,
        stalled=stalled,
    )


def open_deals(
    docs: Iterable[Mapping[str, Any]], previous: Mapping[str, CardFacts] | None = None
) -> dict[str, CardFacts]:
    """The open deals among ``docs`` by id; a deal whose revision is the one in ``previous``
    is not projected again (every write bumps the revision)."""
    previous = previous or {}
    found: dict[str, CardFacts] = {}
    for doc in docs:
        # Closed deals are not on the board: neither projected nor checked.
        if not deal_is_open(doc.get("outcome"), doc.get("completed_on")):
            continue
        known = previous.get(doc["id"])
        facts = known if known is not None and known.rev == doc["rev"] else project(doc)
        if facts.is_open:
            found[facts.deal_id] = facts
    return found


@dataclass(frozen=True)
class ClientFacts:
    name: str
    tags: tuple[str, ...]


def client_facts(docs: Iterable[Mapping[str, Any]]) -> dict[str, ClientFacts]:
    """Name and tags of each client: a card shows the name and the filter searches both."""
    return {
        str(doc["id"]): ClientFacts(str(doc.get("name", doc["id"])), tuple(doc.get("tags", ())))
        for doc in docs
    }


def won_in_month(docs: Iterable[Mapping[str, Any]], day: date) -> Amounts:
    """Value per currency of the deals won in ``day``'s month, on the board or completed."""
    month = day.isoformat()[:7]
    won: Amounts = {}
    for doc in docs:
        closed = doc.get("closed_on")
        if doc.get("outcome") == "won" and isinstance(closed, str) and closed[:7] == month:
            try:
                currency, value = _currency(doc.get("currency", "EUR")), _amount(doc["value"])
            except (KeyError, TypeError, ValueError, ArithmeticError):
                # Not what the app writes: the full model names the damaged field.
                deal = Deal.from_dict(doc)
                currency, value = deal.currency, deal.value
            won[currency] = won.get(currency, Decimal(0)) + value
    return won


@dataclass(frozen=True)
class BoardRead:
    """One consistent read of what the board shows (taken under the store lock)."""

    deals: dict[str, CardFacts]
    clients: dict[str, ClientFacts]
    warnings: dict[str, list[ReliabilityWarning]]
    won_this_month: Amounts = field(default_factory=dict)
    convert: Converter = no_rates
    rates_problem: str = ""  # why the totals are per currency: a damaged rates record


def read_board(ws: Workspace, previous: Mapping[str, CardFacts] | None = None) -> BoardRead:
    from accmgr.services.reliability import warnings_by_client

    store = ws.store
    docs = store.all("deals")
    today = ws.now().date()
    convert: Converter = no_rates
    problem = ""
    try:
        convert = reporting_converter(ws, today)
    except AccmgrError as exc:  # a damaged rates record must not hide the deals
        problem = str(exc)
    return BoardRead(
        deals=open_deals(docs, previous),
        clients=client_facts(store.all("clients")),
        warnings=warnings_by_client(ws),
        # Kept per currency and converted with the rest at today's rates, not each deal at
        # its won day: a Total is at one day, and the header's figures then all stand on the
        # one set of rates that `t` shows.
        won_this_month=won_in_month(docs, today),
        convert=convert,
        rates_problem=problem,
    )


# -- the cheap checks ----------------------------------------------------------------------

_CURRENCIES: dict[str, str] = {}


def _currency(code: object) -> str:
    """The domain's currency check, once per distinct code (a board has a handful)."""
    if not isinstance(code, str):
        raise TypeError(code)
    checked = _CURRENCIES.get(code)
    if checked is None:
        checked = _CURRENCIES[code] = check_currency(code)
    return checked


def _text(value: object) -> str:
    if not isinstance(value, str) or value != value.strip():
        raise ValueError(value)  # the full model strips; let it
    return value


def _amount(value: object, high: Decimal | None = None) -> Decimal:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise TypeError(value)
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or (high is not None and amount > high):
        raise InvalidOperation(value)
    return amount


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def _moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(value)
    moment = datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        raise ValueError(value)
    return moment


def _project(doc: Mapping[str, Any]) -> CardFacts:
    stage = Stage(doc["stage"])
    entry = doc["stage_history"][-1]
    if entry["stage"] != stage.value:
        raise ValueError("stage_history")
    title = _text(doc["title"])
    if not 0 < len(title) <= _TITLE_MAX:
        raise ValueError(title)
    override = doc.get("probability_override")
    tags = tuple(_text(tag) for tag in doc.get("tags", ()))
    rev, deal_id, client_id = doc["rev"], doc["id"], doc["client_id"]
    if not isinstance(rev, int) or not isinstance(deal_id, str) or not isinstance(client_id, str):
        raise TypeError(doc)
    outcome = doc.get("outcome")
    if outcome not in (None, "won", "lost"):
        raise ValueError(outcome)
    return CardFacts(
        deal_id=deal_id,
        rev=rev,
        client_id=client_id,
        title=title,
        stage=stage,
        value=_amount(doc.get("value", "0")),
        currency=_currency(doc.get("currency", "EUR")),
        probability_override=None if override is None else _amount(override, Decimal(100)),
        owner=_text(doc.get("owner", "")),
        tags=tags,
        next_step=_text(doc.get("next_step", "")),
        next_step_due=_day(doc.get("next_step_due")),
        entered_at=_moment(entry["entered_at"]),
        outcome=outcome,
        completed_on=_day(doc.get("completed_on")),
    )


__all__ = [
    "BoardRead",
    "CardFacts",
    "CardFigures",
    "ClientFacts",
    "card_figures",
    "client_facts",
    "facts_of",
    "open_deals",
    "project",
    "read_board",
    "won_in_month",
]
