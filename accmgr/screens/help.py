"""The help screen: every key of the screen below and of the app, read from the live bindings.

Live means after the user's keymap: a remapped key shows its new key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class KeyRow:
    key: str
    description: str
    binding_id: str
    where: str
    enabled: bool


def help_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """The keys active on ``screen`` (focused widget, its parents, the screen, the app)."""
    # One row per action and place: "f1,?" is one binding with two keys.
    grouped: dict[tuple[str, str], list[ActiveBinding]] = {}
    for active in screen.active_bindings.values():
        where = "app" if active.node is app else type(active.node).__name__
        mark = (active.binding.id or active.binding.action, where)
        grouped.setdefault(mark, []).append(active)
    rows = []
    for (_, where), actives in grouped.items():
        binding = actives[0].binding
        rows.append(
            KeyRow(
                ", ".join(app.get_key_display(active.binding) for active in actives),
                binding.description or binding.tooltip or binding.action,
                binding.id or "",
                where,
                any(active.enabled for active in actives),
            )
        )
    # accmgr's own keys first (the screen's, then the app's), generic widget keys last.
    return sorted(rows, key=lambda row: (not row.binding_id, row.where == "app"))


class MarkerLegend(VerticalScroll):
    """What a screen's markers mean, two columns whose meanings wrap (a table cut them)."""

    DEFAULT_CSS = """
    MarkerLegend { height: 1fr; }
    MarkerLegend > Grid {
        grid-size: 2; grid-columns: 22 1fr; grid-gutter: 0 1; height: auto; padding: 0 1;
    }
    MarkerLegend Static { height: auto; }
    MarkerLegend .legend-marker { text-style: bold; }
    """

    def __init__(self, legend: list[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.legend = legend

    def compose(self) -> ComposeResult:
        with Grid():
            yield Static("Marker", classes="legend-marker", markup=False)
            yield Static("What it means", classes="legend-marker", markup=False)
            for marker, meaning in self.legend:
                yield Static(marker, classes="legend-marker", markup=False)
                yield Static(meaning, classes="legend-meaning", markup=False)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close", id="help.close", tooltip="Back to the screen"),
    ]

    def __init__(
        self, title: str, rows: list[KeyRow], legend: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__()
        self.screen_title = title
        self.rows = rows
        # What the screen's markers mean (the pipeline's cards), listed after the keys.
        self.legend = legend or []

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(f"Keys of {self.screen_title}", id="help-title", markup=False)
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            if self.legend:
                yield MarkerLegend(self.legend, id="help-legend")
            yield Static(
                'Remap any key by its id in config.toml:  [keymap] "pipeline.reload" = "ctrl+r"',
                classes="hint",
                markup=False,
            )
            yield Static("Escape, F1 or q to close", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The id before the description: at 80 columns a long description is what gets cut.
        table.add_columns("Key", "Id", "What it does")
        for row in self.rows:
            suffix = "" if row.enabled else " (not now)"
            table.add_row(row.key, row.binding_id or "—", row.description + suffix)
