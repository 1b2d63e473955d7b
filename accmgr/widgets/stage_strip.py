"""The board's overview lines: the pipeline's totals, and — when the columns do not all fit —
a strip with every stage's count and total, the focused one highlighted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from accmgr.domain.stages import Stage
from accmgr.services.totals import Converter, Totals
from accmgr.widgets.stage_column import compact, fit, headline


def board_headline(
    board: Totals, won_this_month: Mapping[str, Decimal], convert: Converter, width: int
) -> str:
    """Open pipeline, weighted pipeline and won this month — won deals kept apart."""
    order = board.currencies
    opened = headline(board.open, order, convert)
    weighted = headline(board.weighted, order, convert)
    won = headline(won_this_month, order, convert)
    currencies = set(board.open) | set(won_this_month)
    more = plural = ""
    if len(currencies) > 1 and convert(board.open) is None:
        more = f"+{len(currencies) - 1}"
        plural = "currency" if len(currencies) == 2 else "currencies"
    return fit(
        width,
        f"Open pipeline {opened} · weighted {weighted} · won this month {won}"
        + (f" · {more} {plural}: t lists them" if more else ""),
        f"Open {opened} · weighted {weighted} · won this month {won}"
        + (f" · {more} cur (t)" if more else ""),
        f"Open {opened} · w {weighted} · won (month) {won}" + (f" · {more} (t)" if more else ""),
        f"Open {opened} · w {weighted} · won {won}",
    )


def _cell(text: str, width: int) -> str:
    text = fit(width - 1, text, text[: max(width - 2, 0)] + "…")
    return text + " " * max(width - cell_len(text), 0)


class StageStrip(Static):
    """All eight stages in one glance, above the columns that fit the screen."""

    DEFAULT_CSS = """
    StageStrip { height: 2; padding: 0 0; background: $boost; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._wanted: tuple[tuple[tuple[Stage, Totals], ...], Stage, Converter, str] | None = None
        self._drawn: object = None

    def show(
        self,
        stages: Sequence[tuple[Stage, Totals]],
        current: Stage,
        convert: Converter,
        currency: str,
    ) -> None:
        """``currency``: the header's, in which every stage's total is given (one figure per
        stage only means something when they are all in one currency)."""
        self._wanted = (tuple(stages), current, convert, currency)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.size.width
        if self._wanted is None or not width:
            return
        stages, current, convert, currency = self._wanted
        # Drawn again only when something it shows changed (it is told on every keystroke).
        drawn = (stages, current, convert, currency, width)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        cell = max(width // len(stages), 4)
        tops: list[tuple[str, str] | str] = []
        bottoms: list[tuple[str, str] | str] = []
        for stage, totals in stages:
            style = "bold reverse $accent" if stage == current else ""
            top = _cell(f"{stage.number} {stage.label}", cell)
            bottom = _cell(f"{totals.count} {stage_figure(totals, convert, currency)}", cell)
            tops.append((top, style) if style else top)
            bottoms.append((bottom, style) if style else bottom)
        self.update(Content.assemble(*tops, "\n", *bottoms), layout=False)


def stage_figure(totals: Totals, convert: Converter, currency: str) -> str:
    """A stage's value in a few cells: open (or, for won stages, won) in the reporting
    currency, with + when amounts without a rate are left out (t lists them); when the rates
    cannot be read, in ``currency`` with + for the other currencies."""
    amounts = totals.open or totals.won
    if not amounts:
        return "—"
    converted = convert(amounts)
    if converted is not None:
        return compact(converted.amount) + ("+" if converted.missing else "")
    figure = compact(amounts[currency]) if currency in amounts else "0"
    return figure + ("+" if set(amounts) - {currency} else "")
