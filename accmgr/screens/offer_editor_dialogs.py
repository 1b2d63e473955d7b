"""The offer editor's confirmation before issuing: what issuing does, and what is missing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmIssue(ModalScreen[bool]):
    """True means issue. Warns — does not refuse — when the company profile has blanks: the
    offer freezes the profile as it is, so the blanks would be printed for good."""

    DEFAULT_CSS = """
    ConfirmIssue { align: center middle; }
    ConfirmIssue > Vertical {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ConfirmIssue #issue-warning { color: $text-warning; margin-top: 1; height: auto; }
    ConfirmIssue Horizontal { height: auto; margin-top: 1; }
    ConfirmIssue Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Issue", id="offer_issue.yes", tooltip="Issue the offer"),
        Binding(
            "n,escape",
            "answer(False)",
            "Not now",
            id="offer_issue.no",
            tooltip="Back to the editor",
        ),
    ]

    def __init__(self, ref: str, missing: list[str]) -> None:
        super().__init__()
        self.ref = ref
        self.missing = missing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Issue {self.ref}? It gets a number and is frozen: a later change makes a new "
                "version.",
                markup=False,
            )
            if self.missing:
                yield Static(
                    f"Warning: the company profile is empty in {', '.join(self.missing)}; "
                    "the offer will print blanks there (Settings, F8, fills them in).",
                    id="issue-warning",
                    markup=False,
                )
            with Horizontal():
                yield Button("Issue (y)", id="yes", variant="primary")
                yield Button("Not now (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
