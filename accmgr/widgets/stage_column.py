"""One column of the pipeline: a stage's header with its totals, and a card per deal."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static

from accmgr.domain.stages import Stage
from accmgr.services.conversion import Reporting
from accmgr.widgets.deal_card import DealCard


def compact(value: Decimal) -> str:
    """12 345 678 → 12.3M: stage totals must fit a narrow column."""
    for limit, suffix in (
        (Decimal(10) ** 9, "G"),
        (Decimal(10) ** 6, "M"),
        (Decimal(10) ** 3, "k"),
    ):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def totals_line(cards: Sequence[DealCard], at: Reporting | None = None) -> str:
    """Count, then total and weighted value in the reporting currency (``at``), with the
    deals that have no rate counted apart; without ``at``, per currency."""
    if at is not None:
        return _reported(cards, at)
    by_currency: dict[str, tuple[Decimal, Decimal]] = {}
    for card in cards:
        total, weighted = by_currency.get(card.currency, (Decimal(0), Decimal(0)))
        by_currency[card.currency] = (total + card.value, weighted + card.weighted)
    # Amounts in different currencies are not comparable: the currencies most deals use first.
    counts: dict[str, int] = {}
    for card in cards:
        counts[card.currency] = counts.get(card.currency, 0) + 1
    ranked = sorted(by_currency.items(), key=lambda item: (-counts[item[0]], item[0]))
    lines = [f"{len(cards)} deal{'s' if len(cards) != 1 else ''}"]
    lines += [
        f"{cur} {compact(total)} · w {compact(weighted)}" for cur, (total, weighted) in ranked[:2]
    ]
    if len(ranked) > 2:
        more = len(ranked) - 2
        lines.append(f"+ {more} more currenc{'y' if more == 1 else 'ies'}")
    return "\n".join(lines)


def _reported(cards: Sequence[DealCard], at: Reporting) -> str:
    value = at.total((card.value, card.currency) for card in cards)
    weighted = at.total((card.weighted, card.currency) for card in cards)
    lines = [f"{len(cards)} deal{'s' if len(cards) != 1 else ''}"]
    lines.append(f"{at.currency} {compact(value.amount)} · w {compact(weighted.amount)}")
    if value.missing:
        lines.append("⚠ " + ", ".join(f"{p.count} {p.currency} no rate" for p in value.missing))
    return "\n".join(lines)


class CardList(OptionList):
    """The column's cards; enter opens the highlighted one (and says so in the footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="pipeline.open", tooltip="Open the highlighted deal"),
    ]


class StageColumn(Vertical, can_focus=False):
    """Shows the cards it is given; re-draws its list only when the cards changed."""

    DEFAULT_CSS = """
    StageColumn { width: 34; height: 1fr; border: round $primary-darken-2; }
    StageColumn:focus-within { border: round $accent; }
    StageColumn > .stage-head { height: 4; padding: 0 1; background: $boost; }
    StageColumn > CardList {
        height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
    }
    StageColumn > CardList:focus { border: none; }
    StageColumn > CardList > .option-list--option { padding: 0 1; }
    """

    class DealOpened(Message):
        """The user chose a card (enter or a click)."""

        def __init__(self, column: StageColumn, deal_id: str) -> None:
            super().__init__()
            self.column = column
            self.deal_id = deal_id

        @property
        def control(self) -> StageColumn:
            return self.column

    def __init__(self, stage: Stage, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.border_title = f"{stage.number} {stage.label}"
        self.cards: tuple[DealCard, ...] = ()
        self._at: Reporting | None = None

    def compose(self) -> ComposeResult:
        yield Static("0 deals", classes="stage-head", markup=False)
        yield CardList()

    @property
    def option_list(self) -> CardList:
        return self.query_one(CardList)

    @property
    def highlighted_card(self) -> DealCard | None:
        index = self.option_list.highlighted
        if index is None or not 0 <= index < len(self.cards):
            return None
        return self.cards[index]

    def show(self, cards: Sequence[DealCard], at: Reporting | None = None) -> bool:
        """Show ``cards`` in this order; returns False (and does nothing) when they are the
        very cards already shown."""
        cards = tuple(cards)
        same = len(cards) == len(self.cards) and all(
            a is b for a, b in zip(cards, self.cards, strict=True)
        )
        if same and at is self._at:
            return False
        self._at = at
        # New rates or a new reporting currency change the totals of the very same cards.
        self.query_one(".stage-head", Static).update(totals_line(cards, at), layout=False)
        if same:
            return False
        previous = self.highlighted_card
        self.cards = cards
        options = self.option_list
        options.set_options(card.option for card in cards)
        if cards:
            index = 0
            if previous is not None:
                index = next((i for i, c in enumerate(cards) if c.deal_id == previous.deal_id), 0)
            options.highlighted = index
        return True

    def select_deal(self, deal_id: str) -> bool:
        for index, card in enumerate(self.cards):
            if card.deal_id == deal_id:
                self.option_list.highlighted = index
                return True
        return False

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.DealOpened(self, event.option.id))
