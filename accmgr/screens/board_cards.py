"""The board's cards, worked out off the UI thread from one read of the store.

A card is re-used while nothing it shows changed: the column's OptionList keeps the card's
Option and does not render it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone

from accmgr.domain.stages import Stage, StageRule
from accmgr.services.board import BoardRead, CardFacts, ClientFacts, card_figures
from accmgr.services.conversion import Reporting
from accmgr.widgets.deal_card import DealCard, make_card


@dataclass(frozen=True)
class Board:
    """What the pipeline shows, computed off the UI thread."""

    cards: dict[Stage, tuple[DealCard, ...]]
    clients: int
    # The reporting currency and the rates of the day the column totals are shown in.
    at: Reporting | None = None

    @property
    def total(self) -> int:
        return sum(len(cards) for cards in self.cards.values())


class CardCache:
    """Cards of the last load, re-used while nothing they show changed (same Option, so the
    column does not render the card again); the deals' projected fields likewise, while their
    revision is the same."""

    def __init__(self) -> None:
        self._cards: dict[str, tuple[tuple[object, ...], DealCard]] = {}
        self.facts: dict[str, CardFacts] = {}

    def build(
        self, read: BoardRead, now: datetime, rules: Mapping[Stage, StageRule]
    ) -> dict[Stage, tuple[DealCard, ...]]:
        by_stage: dict[Stage, list[DealCard]] = {stage: [] for stage in Stage}
        fresh: dict[str, tuple[tuple[object, ...], DealCard]] = {}
        today: date = now.date()
        # The same moment with a fixed offset: a zone's utcoffset (dateutil) cost more than the
        # rest of a card's day arithmetic, and a deal's days in stage and its stall compare
        # this moment with thousands of stored ones. Date and differences are unchanged.
        offset = now.utcoffset()
        if offset is not None:
            now = now.astimezone(timezone(offset))
        nobody = ClientFacts("", ())
        for facts in read.deals.values():
            client = read.clients.get(facts.client_id, nobody)
            name = client.name or facts.client_id
            found = tuple(read.warnings.get(facts.client_id, ()))
            key = (facts.rev, name, client.tags, found, today, id(rules))
            cached = self._cards.get(facts.deal_id)
            if cached is not None and cached[0] == key:
                card = cached[1]
            else:
                card = make_card(
                    facts,
                    card_figures(facts, now, rules),
                    client=name,
                    client_tags=client.tags,
                    warnings=found,
                )
            fresh[facts.deal_id] = (key, card)
            by_stage[card.stage].append(card)
        self._cards = fresh
        self.facts = read.deals
        return {
            stage: tuple(sorted(cards, key=lambda c: (-c.days, c.deal_id)))
            for stage, cards in by_stage.items()
        }


__all__ = ["Board", "CardCache"]
