"""The offer editor's grid of lines and its totals panel.

:class:`LinesGrid` is a DataTable whose rows mirror a list of
:class:`~accmgr.domain.offer_draft.PendingLine`. A keystroke in a line's field changes that
one row (:meth:`LinesGrid.show_line`, a few ``update_cell`` calls), never the layout of the
others, so a 200-line offer stays as quick as a 2-line one.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from rich.text import Text
from textual.widgets import DataTable, Static

from accmgr.domain.money import Totals, line_net
from accmgr.domain.offer_draft import DraftTotals, PendingLine

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("pos", "#", 3),
    ("code", "Code", 9),
    ("description", "Description", 16),
    ("quantity", "Qty", 6),
    ("unit", "Unit", 4),
    ("unit_price", "Unit price", 10),
    ("discount", "Disc%", 5),
    ("tax", "VAT%", 4),
    ("net", "Net", 11),
)
# Under 100 columns the grid keeps what tells lines apart and what they cost; the line's
# discount and the rest stay in the line fields under the grid and in the totals.
NARROW = ("pos", "code", "quantity", "unit_price", "net")
_RIGHT = {"pos", "quantity", "unit_price", "discount", "tax", "net"}


def figure(value: Decimal) -> str:
    """An amount as on screen: the JSON's digits, thousands grouped by a space."""
    return f"{value:,f}".replace(",", " ")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class LinesGrid(DataTable[Text]):
    """One row per pending line; the row keys stay put when lines are removed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._keys: list[str] = []
        self._next = count(1)
        self.narrow = False
        self._columns = COLUMNS

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for key, label, width in self._columns:
            self.add_column(
                Text(label, justify="right" if key in _RIGHT else "left"), key=key, width=width
            )

    def set_narrow(self, narrow: bool, lines: Sequence[PendingLine]) -> None:
        """Switch the column set (on a resize across the threshold, never per keystroke)."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        self._columns = tuple(c for c in COLUMNS if c[0] in NARROW) if narrow else COLUMNS
        row = self.cursor_row
        self.clear(columns=True)
        self._add_columns()
        self.fill(lines)
        if lines:
            self.move_cursor(row=min(row, len(lines) - 1))

    def cells(self, position: int, line: PendingLine) -> list[Text]:
        net = "—" if line.parsed is None else figure(line_net(line.parsed, line.currency))
        values = {
            "pos": str(position),
            "code": _short(line.product_code, 9),
            "description": _short(line.description, 16),
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "discount": line.discount,
            "tax": f"{line.tax_rate:f}",
            "net": net,
        }
        out = []
        for key, _, _ in self._columns:
            bad = key in line.problems
            out.append(
                Text(
                    values[key],
                    style="bold red" if bad else "",
                    justify="right" if key in _RIGHT else "left",
                )
            )
        return out

    def fill(self, lines: Sequence[PendingLine]) -> None:
        self.clear()
        self._keys = []
        for position, line in enumerate(lines, start=1):
            self.append(position, line)

    def append(self, position: int, line: PendingLine) -> None:
        key = f"line-{next(self._next)}"
        self._keys.append(key)
        self.add_row(*self.cells(position, line), key=key)

    def show_line(self, index: int, line: PendingLine) -> None:
        """Redraw one row's cells after one of its fields changed."""
        key = self._keys[index]
        for (column, _, _), cell in zip(self._columns, self.cells(index + 1, line), strict=True):
            self.update_cell(key, column, cell)

    def drop_line(self, index: int) -> None:
        self.remove_row(self._keys.pop(index))
        for position, key in enumerate(self._keys[index:], start=index + 1):
            self.update_cell(key, "pos", Text(str(position), justify="right"))

    @property
    def index(self) -> int | None:
        """The line under the cursor, or None when there are none."""
        if not self._keys:
            return None
        return min(max(self.cursor_row, 0), len(self._keys) - 1)


class TotalsPanel(Static):
    """Subtotal, document discount, tax per rate and total of the pending values."""

    def show(self, result: DraftTotals, currency: str, lines: int) -> None:
        text = Text()
        text.append("Totals", style="bold")
        text.append(f" · {lines} line{'s' if lines != 1 else ''} · {currency}\n\n")
        totals = result.totals
        if totals is None:
            text.append("Not computed yet:\n", style="bold red")
            text.append(result.problem, style="red")
            self.update(text)
            return
        self.update(self._figures(text, totals))

    def _figures(self, text: Text, totals: Totals) -> Text:
        # As wide as the panel allows (30 before the first layout), figures right-aligned.
        width = max(22, min(40, self.content_size.width or 30))

        def row(label: str, amount: Decimal, style: str = "") -> None:
            value = figure(amount)
            text.append(label + " " * max(1, width - len(label) - len(value)) + value + "\n", style)

        row("Subtotal", totals.subtotal)
        if totals.document_discount:
            amount = totals.document_discount_amount
            row(f"Discount {totals.document_discount:f} %", -amount if amount else amount)
            row("Net", totals.net)
        for group in totals.taxes:
            row(f"VAT {group.rate:f} %", group.tax)
            text.append(f"  on {figure(group.base)}\n", style="dim")
        if len(totals.taxes) > 1:
            row("VAT total", totals.tax_total)
        text.append("─" * width + "\n", style="dim")
        row(f"Total {totals.currency}", totals.total, "bold")
        return text
