"""A deal as the board shows it: what a card says, worked out once, off the UI thread.

The board holds thousands of cards; filtering re-draws it on every keystroke. So everything a
card needs — its text, its totals' figures, the lowercase text the filter searches — is
computed in the loading worker, and each card keeps its own ``Option`` so that the column's
OptionList re-uses the rendered prompt instead of rendering it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets.option_list import Option

from accmgr.domain.display import compact_money, money, short_money
from accmgr.domain.reliability import marker
from accmgr.domain.search import key_matches, search_key
from accmgr.domain.stages import Stage
from accmgr.services.board import CardFacts, CardFigures
from accmgr.widgets.visible_text import shown

STALLED = "⏸ stalled"


def amount_text(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", " ")


STALLED_SHORT = "⏸"
WON = "won"


class CardLayout:
    """How the board draws its cards now: four lines, or two (compact) when the columns are
    many and short. One per board, shared by its cards, set when the screen is resized."""

    def __init__(self) -> None:
        self.compact = False

    @property
    def lines(self) -> int:
        return 2 if self.compact else 4


class CardVisual(Visual):
    """A card's text with its height known without laying it out, built when first drawn.

    The OptionList asks every option for its height whenever its options change; measuring
    thousands of cards on each filter keystroke cost most of the keystroke. A card is always
    ``layout.lines`` lines (the column never wraps), so the answer is a constant. The text
    itself is assembled on first use, for the width it is drawn at: a column shows a dozen of
    its hundreds of cards, and assembling all 3 300 of the kam board up front was a quarter of
    the board's load.
    """

    def __init__(self, make: Callable[[int, bool], Content], layout: CardLayout) -> None:
        self._make = make
        self._layout = layout
        # The OptionList forgets its rendered options whenever the filter changes them; the
        # card keeps its own lines (plain and highlighted), so a keystroke that brings cards
        # back re-uses them instead of rendering every visible card again.
        self._strips: dict[tuple[int, int | None, Style, bool], list[Strip]] = {}
        # The text at a width, plain and highlighted alike (a card is drawn at one or two).
        self._contents: dict[tuple[int, bool], Content] = {}

    def content(self, width: int) -> Content:
        key = (width, self._layout.compact)
        content = self._contents.get(key)
        if content is None:
            if len(self._contents) >= 2:
                self._contents.clear()
            content = self._contents[key] = self._make(*key)
        return content

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None:
            return self.content(width).render_strips(width, height, style, options)
        key = (width, height, style, self._layout.compact)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) >= 4:
                self._strips.clear()
            content = self.content(width)
            strips = self._strips[key] = content.render_strips(width, height, style, options)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content(container_width).get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._layout.lines


@dataclass(frozen=True, eq=False)
class DealCard:
    """One open deal on the board. ``haystack`` is what the filter searches, folded."""

    deal_id: str
    rev: int
    client_id: str
    client: str
    title: str
    stage: Stage
    value: Decimal
    currency: str
    weighted: Decimal
    days: int
    probability: Decimal
    stage_probability: Decimal | None  # the stage default, when the deal overrides it
    stalled: tuple[str, ...]
    warnings: tuple[str, ...]
    haystack: str
    option: Option = field(repr=False)
    won: bool = False  # booked revenue (Fulfilment, Referrals), not pipeline

    def matches(self, words: Sequence[str]) -> bool:
        return key_matches(words, self.haystack)


Part = tuple[str, str] | str


def first_fit(width: int, *candidates: Sequence[Part]) -> list[Part]:
    """The first of ``candidates`` (longest first) that fits ``width`` cells, else the last."""
    for parts in candidates:
        if sum(cell_len(part if isinstance(part, str) else part[0]) for part in parts) <= width:
            return list(parts)
    return list(candidates[-1])


def card_text(
    width: int,
    compact: bool,
    *,
    client: str,
    title: str,
    value: Decimal,
    currency: str,
    days: int,
    probability: Decimal,
    stage_probability: Decimal | None,
    stalled: Sequence[str],
    warnings: Sequence[str],
    won: bool = False,
) -> Content:
    """Four lines (client, title, value and chance, days in stage and the markers), or two
    when ``compact`` (client and title, then the figures and markers); each line takes the
    longest of its forms that fits ``width``. The legend (F1, ? on a card) explains them.

    Each line starts with the card's one-cell margin: an option's CSS padding made the list
    wrap every card in a Padding visual, re-drawn on each keystroke."""
    width -= 1
    if won:
        chance, plain_chance = WON, WON
    else:
        chance = plain_chance = f"{probability:.0f}%"
        if stage_probability is not None:
            plain_chance += "*"
            chance = f"{plain_chance} ({stage_probability:.0f}%)"  # the override, the default
    long_marks: list[Part] = []
    mixed_marks: list[Part] = []  # stalled in words, the warning as its sign
    short_marks: list[Part] = []
    if stalled:
        long_marks += [" ", (STALLED, "bold $warning")]
        mixed_marks += [" ", (STALLED, "bold $warning")]
        short_marks += [" ", (STALLED_SHORT, "bold $warning")]
    if warnings:
        # The worst warning's glyph: ⊘ stop, ⚠ caution, ℹ info.
        sign = marker(warnings)
        long_marks += [" ", (f"{sign} reliability", "bold $error")]
        mixed_marks += [" ", (sign, "bold $error")]
        short_marks += [" ", (sign, "bold $error")]
    # The one money formatter (domain/display.py): whole units, then three figures, then
    # the locale's compact form for the narrowest cards.
    exact = money(value, currency, whole=True)
    brief = short_money(value, currency)
    tight = compact_money(value, currency) if abs(value) >= 10_000 else brief
    # User text goes in as plain text (assemble never reads markup in it).
    if compact:
        # The title is cut (…) rather than left out: it tells a client's deals apart.
        figures = first_fit(
            width,
            [f"{exact} {chance} {days}d", *long_marks],
            [f"{brief} {chance} {days}d", *long_marks],
            [f"{brief} {chance} {days}d", *short_marks],
            [f"{brief} {plain_chance} {days}d", *short_marks],
            [f"{tight} {plain_chance} {days}d", *short_marks],
            [f"{tight} {plain_chance}", *short_marks],
        )
        return Content.assemble(" ", (shown(client), "bold"), " · ", shown(title), "\n ", *figures)
    figures = first_fit(
        width,
        [f"{exact} · {chance}"],
        [f"{brief} · {chance}"],
        [f"{brief} {plain_chance}"],
    )
    marks = first_fit(
        width,
        [f"{days}d", *long_marks],
        [f"{days}d", *mixed_marks],
        [f"{days}d", *short_marks],
    )
    return Content.assemble(
        " ", (shown(client), "bold"), "\n ", shown(title), "\n ", *figures, "\n ", *marks
    )


def make_card(
    facts: CardFacts,
    figures: CardFigures,
    *,
    client: str,
    client_tags: Sequence[str],
    warnings: Sequence[str],
    layout: CardLayout,
) -> DealCard:
    """Everything the board shows of one deal (the domain's rules gave ``figures``)."""
    prompt = partial(
        card_text,
        client=client,
        title=facts.title,
        value=facts.value,
        currency=facts.currency,
        days=figures.days,
        probability=figures.probability,
        stage_probability=figures.stage_probability,
        stalled=figures.stalled,
        warnings=warnings,
        won=facts.is_won,
    )
    # Folded once here: the board caches its cards, so a keystroke folds only the query.
    haystack = search_key(client, facts.title, facts.owner, *facts.tags, *client_tags)
    return DealCard(
        deal_id=facts.deal_id,
        rev=facts.rev,
        client_id=facts.client_id,
        client=client,
        title=facts.title,
        stage=facts.stage,
        value=facts.value,
        currency=facts.currency,
        weighted=figures.weighted,
        days=figures.days,
        probability=figures.probability,
        stage_probability=figures.stage_probability,
        stalled=figures.stalled,
        warnings=tuple(warnings),
        haystack=haystack,
        option=Option(CardVisual(prompt, layout), id=facts.deal_id),
        won=facts.is_won,
    )
