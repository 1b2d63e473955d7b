"""The record changed elsewhere while a form was open: theirs and yours, side by side, per field.

Fields changed on one side only were merged already; this dialog asks only about the fields
both sides changed differently. It returns the side kept per field ({field: "theirs" |
"mine"}), or None when the user goes back to the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static

if TYPE_CHECKING:
    from accmgr.services.edits import EditConflict

Side = Literal["theirs", "mine"]


@dataclass(frozen=True)
class ConflictRow:
    field: str
    label: str
    theirs: str
    mine: str


def conflict_rows(exc: EditConflict) -> list[ConflictRow]:
    """The fields both sides changed, in the user's words."""
    from accmgr.services.edits import label, shown

    return [
        ConflictRow(
            c.field, label(c.field).capitalize(), shown(c.field, c.theirs), shown(c.field, c.mine)
        )
        for c in exc.conflicts
    ]


class ConflictDialog(ModalScreen[dict[str, Side] | None]):
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 76; height: auto; max-height: 90%; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    ConflictDialog .conflict-label { margin-top: 1; text-style: bold; }
    ConflictDialog Select { width: 1fr; }
    ConflictDialog Horizontal { height: auto; margin-top: 1; }
    ConflictDialog Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Save", id="conflict.save", tooltip="Save with the chosen sides"),
        Binding("escape", "back", "Back", id="conflict.back", tooltip="Back to the form"),
    ]

    def __init__(self, record: str, rows: Sequence[ConflictRow]) -> None:
        super().__init__()
        self.record = record
        self.rows = tuple(rows)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Changed elsewhere"
            yield Static(
                f"{self.record} was changed elsewhere while you edited it. Your other edits "
                "are kept; for each field below, keep theirs or yours.",
                markup=False,
            )
            for row in self.rows:
                yield Static(row.label, classes="conflict-label", markup=False)
                yield Select(
                    [(f"yours: {row.mine}", "mine"), (f"theirs: {row.theirs}", "theirs")],
                    value="mine",
                    allow_blank=False,
                    id=f"side-{row.field}",
                    compact=True,
                )
            with Horizontal():
                yield Button("Save", id="keep", variant="primary")
                yield Button("Back to the form", id="back")

    def chosen(self) -> dict[str, Side]:
        sides: dict[str, Side] = {}
        for row in self.rows:
            value = self.query_one(f"#side-{row.field}", Select).value
            sides[row.field] = "theirs" if value == "theirs" else "mine"
        return sides

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keep":
            self.action_keep()
        else:
            self.action_back()

    def action_keep(self) -> None:
        self.dismiss(self.chosen())

    def action_back(self) -> None:
        self.dismiss(None)
