"""The board's totals by currency: the amounts behind each figure in the reporting currency.

One key away from the board (``t``): the open pipeline, its weighted value, what was won
(on the board, and this month) and each stage, currency by currency — what each part is in
the reporting currency, at which rate of which day, and the parts that have no rate. The
figures come from the board's own totals and converter, so they are the header's and the
columns' figures, never a second computation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from accmgr.domain.display import money
from accmgr.domain.exchange import Converted, Total
from accmgr.services.totals import Converter, Totals, ranked

Row = tuple[str | Text, ...]


@dataclass(frozen=True)
class Section:
    """One figure of the board: its amounts per currency and how many deals each has."""

    label: str
    amounts: Mapping[str, Decimal]
    deals: Mapping[str, int] = field(default_factory=dict)


def board_sections(
    board: Totals,
    won_this_month: Mapping[str, Decimal],
    stages: Sequence[tuple[str, Totals]],
) -> list[Section]:
    """The header's figures, then each stage's open value (and what it has won)."""
    sections = [
        Section("Open pipeline", board.open, board.open_deals),
        Section("Weighted", board.weighted, board.open_deals),
        Section("Won, on the board", board.won, board.won_deals),
        Section("Won this month", won_this_month),
    ]
    for label, totals in stages:
        if totals.open:
            sections.append(Section(label, totals.open, totals.open_deals))
        if totals.won:
            sections.append(Section(f"{label}, won", totals.won, totals.won_deals))
    return sections


def _count(deals: Mapping[str, int], currency: str | None = None) -> str:
    if not deals:
        return ""
    return str(deals.get(currency, 0) if currency else sum(deals.values()))


def section_rows(section: Section, total: Total | None) -> list[Row]:
    """The section's line (its figure in the reporting currency), then one line per currency
    (amount, converted, rate, date); without rates (``total`` None) the amounts alone."""
    figure: str | Text = "—"
    if total is not None:
        figure = Text(money(total.amount, total.currency), style="bold", justify="right")
    rows: list[Row] = [
        (Text(section.label, style="bold"), "", _count(section.deals), "", figure, "", "")
    ]
    parts = {part.currency: part for part in total.parts} if total is not None else {}
    # The currency of most deals first, as on the board.
    order = sorted(section.deals, key=lambda cur: (-section.deals[cur], cur))
    for currency, amount in ranked(section.amounts, order):
        converted: str | Text = ""
        rate = when = ""
        part = parts.get(currency)
        if part is not None and isinstance(part.conversion, Converted):
            result = part.conversion
            day = result.rate.day
            via = f" via {result.rate.via}" if result.rate.via else ""
            converted = Text(money(result.value, result.target), justify="right")
            rate = "" if day is None else f"{result.rate.shown}{via}"
            when = "" if day is None else f"{day:%-d %b %Y}"
        elif part is not None:
            converted = Text("no rate — not added", style="yellow", justify="right")
        rows.append(
            (
                "",
                currency,
                _count(section.deals, currency),
                Text(money(amount, currency), justify="right"),
                converted,
                rate,
                when,
            )
        )
    return rows


class BoardTotalsScreen(ModalScreen[None]):
    """Read-only: Escape (or t again) goes back to the board."""

    DEFAULT_CSS = """
    BoardTotalsScreen { align: center middle; }
    BoardTotalsScreen > #totals-box {
        width: 96%; max-width: 120; height: 90%; border: round $accent; background: $surface;
    }
    BoardTotalsScreen #totals-table { height: 1fr; }
    BoardTotalsScreen #totals-notes { color: $warning; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,t,q",
            "close",
            "Back",
            id="pipeline.totals.close",
            tooltip="Back to the board",
        ),
    ]

    def __init__(
        self, sections: Sequence[Section], convert: Converter, notes: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.sections = list(sections)
        self.convert = convert
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        totals = [(section, self.convert(section.amounts)) for section in self.sections]
        first = totals[0][1] if totals else None
        with Vertical(id="totals-box") as box:
            if first is None:
                box.border_title = "Totals per currency (no rates read: never added across)"
                box.border_subtitle = "esc"
                unit = "1 unit in"
            else:
                box.border_title = f"Totals in {first.currency} and by currency"
                box.border_subtitle = f"rates on or before {first.day:%-d %b %Y} · esc"
                unit = f"1 unit in {first.currency}"
            table: DataTable[str | Text] = DataTable(
                id="totals-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("", "Currency", "Deals", "Amount", "In total", unit, "Rate of")
            for section, total in totals:
                for row in section_rows(section, total):
                    table.add_row(*row)
            yield table
            yield Static("\n".join(self.notes), id="totals-notes", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["BoardTotalsScreen", "Section", "board_sections", "section_rows"]
