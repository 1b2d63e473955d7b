"""The board's totals by currency: the amounts behind each figure in the reporting currency.

One key away from the board (``t``): each stage's deals currency by currency, what each part
is in the reporting currency, at which rate of which day, and the parts that have no rate.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from accmgr.domain.exchange import Converted, Total
from accmgr.services.conversion import BoardTotals


def _money(amount: object, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(",", " ")


def total_rows(label: str, total: Total) -> list[tuple[str | Text, ...]]:
    """The total's line, then one line per currency part (amount, converted, rate, date)."""
    rows: list[tuple[str | Text, ...]] = [
        (
            Text(label, style="bold"),
            "",
            str(total.count + total.missing_count),
            "",
            Text(_money(total.amount, total.currency), style="bold", justify="right"),
            "",
            "",
        )
    ]
    for part in total.parts:
        result = part.conversion
        if isinstance(result, Converted):
            day = result.rate.day
            via = f" via {result.rate.via}" if result.rate.via else ""
            converted: str | Text = Text(_money(result.value, result.target), justify="right")
            rate = "" if day is None else f"{result.rate.shown}{via}"
            when = "" if day is None else f"{day:%-d %b %Y}"
        else:
            converted = Text("no rate — not added", style="yellow", justify="right")
            rate, when = "", ""
        rows.append(
            (
                "",
                part.currency,
                str(part.count),
                Text(_money(part.amount, part.currency), justify="right"),
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
            "escape,t",
            "close",
            "Back",
            id="pipeline.totals.close",
            tooltip="Back to the board",
        ),
    ]

    def __init__(self, totals: BoardTotals) -> None:
        super().__init__()
        self.totals = totals

    def compose(self) -> ComposeResult:
        totals = self.totals
        with Vertical(id="totals-box") as box:
            box.border_title = f"Totals in {totals.open_value.currency} and by currency"
            box.border_subtitle = f"rates on or before {totals.open_value.day:%-d %b %Y} · esc"
            table: DataTable[str | Text] = DataTable(
                id="totals-table", cursor_type="row", zebra_stripes=True
            )
            unit = f"1 unit in {totals.open_value.currency}"
            table.add_columns("", "Currency", "Deals", "Amount", "In total", unit, "Rate of")
            sections = [
                ("Open pipeline", totals.open_value),
                ("Weighted", totals.weighted),
                ("Won, on the board", totals.won),
            ]
            sections += [
                (f"{s.stage.number} {s.stage.label}", s.value)
                for s in totals.stages.values()
                if s.count
            ]
            for label, total in sections:
                for row in total_rows(label, total):
                    table.add_row(*row)
            yield table
            yield Static("\n".join(totals.notes()), id="totals-notes", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
