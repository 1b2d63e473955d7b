"""One column of the pipeline: a stage's header with its totals, and a card per deal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static

from accmgr.domain.display import compact_money, compact_number
from accmgr.domain.stages import Stage
from accmgr.services.totals import Converter, Totals, missing_rates, no_rates, ranked, totals_of
from accmgr.widgets.deal_card import DealCard


def compact(value: Decimal) -> str:
    """12 345 678 → 12.3M: stage totals must fit a narrow column (the one formatter)."""
    return compact_number(value)


def money(currency: str, amount: Decimal) -> str:
    return compact_money(amount, currency)


def fit(width: int, *candidates: str) -> str:
    """The first of ``candidates`` (longest first) that fits ``width`` cells, else the last."""
    return next((text for text in candidates if cell_len(text) <= width), candidates[-1])


def headline(amounts: Mapping[str, Decimal], order: Sequence[str], convert: Converter) -> str:
    """One figure for ``amounts``: in the reporting currency when ``convert`` can, else the
    amount in the first currency of ``order`` that has one (t shows the others)."""
    converted = convert(amounts)
    if converted is not None:
        # What has no rate is left out of the figure and flagged on the count's line.
        return money(converted.currency, converted.amount)
    listed = ranked(amounts, order)
    return money(*listed[0]) if listed else "—"


def head_text(totals: Totals, convert: Converter, width: int) -> str:
    """Two lines: the count (and how many currencies t would list), then the open value and
    its weighted value, or what was won: won deals are booked revenue, not pipeline."""
    count = f"{totals.count} deal{'s' if totals.count != 1 else ''}"
    more = len(totals.currencies) - 1
    first = count
    missing = missing_rates(totals, convert)
    if missing:
        flag = "⚠ " + ", ".join(f"{n} {cur}" for cur, n in missing.items())
        first = fit(
            width,
            f"{count} · {flag} no rate",
            f"{count} · {flag}",
            f"{count} {flag}",
            f"{totals.count} {flag}",
        )
    elif more > 0 and convert(totals.open or totals.won) is None:
        first = fit(
            width,
            f"{count} · +{more} currenc{'y' if more == 1 else 'ies'} (t)",
            f"{count} · +{more} cur (t)",
            f"{count} · +{more}",
            count,
        )
    parts = []
    order = totals.currencies
    if totals.open:
        opened = headline(totals.open, order, convert)
        weighted = headline(totals.weighted, order, convert)
        # The weighted figure in the same currency as the open one: drop the repeated code.
        cur = opened.split(" ", 1)[0]
        if weighted.startswith(cur + " "):
            weighted = weighted[len(cur) + 1 :]
        parts.append(fit(width, f"{opened} · w {weighted}", f"{opened} w {weighted}", opened))
    if totals.won:
        parts.append(f"won {headline(totals.won, order, convert)}")
    return "\n".join([first, " · ".join(parts) or "—"])


class CardList(OptionList):
    """The column's cards; enter opens the highlighted one (and says so in the footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="pipeline.open", tooltip="Open the highlighted deal"),
        # The list's own home/end (first/last card) would shadow the board's.
        Binding(
            "home",
            "screen.edge(0)",
            "First stage",
            show=False,
            id="pipeline.first_stage",
            tooltip="Go to the first stage, Prospecting",
        ),
        Binding(
            "end",
            "screen.edge(-1)",
            "Last stage",
            show=False,
            id="pipeline.last_stage",
            tooltip="Go to the last stage, Referrals",
        ),
        Binding(
            "question_mark",
            "screen.explain",
            "Explain",
            # The footer at 80 columns is full; F1 lists it and the legend says so.
            show=False,
            id="pipeline.explain",
            tooltip="What this card's markers mean (F1: every key)",
        ),
    ]


class StageColumn(Vertical, can_focus=False):
    """Shows the cards it is given; re-draws its list only when the cards changed."""

    DEFAULT_CSS = """
    StageColumn { width: 1fr; min-width: 16; height: 1fr; border: round $primary-darken-2; }
    StageColumn:focus-within { border: round $accent; }
    StageColumn > .stage-head {
        height: 2; padding: 0 0 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis;
    }
    StageColumn > CardList {
        height: 1fr; border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis;
        scrollbar-size-vertical: 1;
    }
    StageColumn > CardList:focus { border: none; }
    StageColumn > CardList > .option-list--option { padding: 0; }  /* the card has its margin */
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
        self.totals = Totals()
        # Set by the board from each read: turns per-currency totals into one figure.
        self.convert: Converter = no_rates

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

    def show(self, cards: Sequence[DealCard], convert: Converter = no_rates) -> bool:
        """Show ``cards`` in this order; returns False (and does nothing) when they are the
        very cards already shown, in the very same rates."""
        cards = tuple(cards)
        same = len(cards) == len(self.cards) and all(
            a is b for a, b in zip(cards, self.cards, strict=True)
        )
        if same and convert is self.convert:
            return False
        # New rates or a new reporting currency change the totals of the very same cards.
        self.convert = convert
        if same:
            self.update_head()
            return False
        previous = self.highlighted_card
        self.cards = cards
        self.totals = totals_of(cards)
        self.update_head()
        options = self.option_list
        options.set_options(card.option for card in cards)
        if cards:
            index = 0
            if previous is not None:
                index = next((i for i, c in enumerate(cards) if c.deal_id == previous.deal_id), 0)
            options.highlighted = index
        return True

    def update_head(self) -> None:
        head = self.query_one(".stage-head", Static)
        # Before the head is laid out its width is the column's, less the head's padding.
        width = head.size.width or max(self.size.width - 1, 1)
        head.update(head_text(self.totals, self.convert, width), layout=False)

    def on_resize(self) -> None:
        self.update_head()

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
