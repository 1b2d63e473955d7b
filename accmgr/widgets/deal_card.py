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

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets.option_list import Option

from accmgr.domain.reliability import marker
from accmgr.domain.stages import Stage
from accmgr.services.board import CardFacts, CardFigures

STALLED = "⏸ stalled"


def amount_text(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", " ")


def short_amount(value: Decimal) -> str:
    """Exact below 100 000, else three figures (1.25M): a card is 24 cells wide."""
    if abs(value) < 100_000:
        return amount_text(value)
    for limit, suffix in ((Decimal(10) ** 9, "G"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k")):
        if abs(value) >= limit:
            scaled = value / limit
            return f"{scaled:.3g}{suffix}" if abs(scaled) < 1000 else f"{scaled:.0f}{suffix}"
    return amount_text(value)


CARD_LINES = 4


class CardVisual(Visual):
    """A card's text with its height known without laying it out, built when first drawn.

    The OptionList asks every option for its height whenever its options change; measuring
    thousands of cards on each filter keystroke cost most of the keystroke. A card is always
    ``CARD_LINES`` lines (the column never wraps), so the answer is a constant. The text
    itself is assembled on first use: a column shows a dozen of its hundreds of cards, and
    assembling all 3 300 of the kam board up front was a quarter of the board's load.
    """

    def __init__(self, make: Callable[[], Content]) -> None:
        self._make = make
        self._content: Content | None = None
        # The OptionList forgets its rendered options whenever the filter changes them; the
        # card keeps its own lines (plain and highlighted), so a keystroke that brings cards
        # back re-uses them instead of rendering every visible card again.
        self._strips: dict[tuple[int, int | None, Style], list[Strip]] = {}

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = self._make()
        return self._content

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None:
            return self.content.render_strips(width, height, style, options)
        key = (width, height, style)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) >= 4:
                self._strips.clear()
            strips = self._strips[key] = self.content.render_strips(width, height, style, options)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return CARD_LINES


@dataclass(frozen=True, eq=False)
class DealCard:
    """One open deal on the board. ``haystack`` is what the filter searches, lowercased."""

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

    def matches(self, needle: str) -> bool:
        return needle in self.haystack


def card_text(
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
) -> Content:
    """Four lines, always (``CARD_LINES``): client, title, value and chance, days in stage and
    the markers."""
    chance = f"{probability:.0f}%"
    if stage_probability is not None:
        chance += f"* ({stage_probability:.0f}%)"  # the override, and the stage's default
    marks: list[tuple[str, str] | str] = [f"{days}d"]
    if stalled:
        marks += [" ", (STALLED, "bold $warning")]
    if warnings:
        # The worst warning's glyph: ⊘ stop, ⚠ caution, ℹ info.
        marks += [" ", (f"{marker(warnings)} reliability", "bold $error")]
    figures = f"{short_amount(value)} {currency} · {chance}"
    # User text goes in as plain text (assemble never reads markup in it).
    return Content.assemble((client, "bold"), "\n", title, "\n", figures, "\n", *marks)


def make_card(
    facts: CardFacts,
    figures: CardFigures,
    *,
    client: str,
    client_tags: Sequence[str],
    warnings: Sequence[str],
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
    )
    haystack = "\n".join([client, facts.title, facts.owner, *facts.tags, *client_tags]).lower()
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
        option=Option(CardVisual(prompt), id=facts.deal_id),
    )
