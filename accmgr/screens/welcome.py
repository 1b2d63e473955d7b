"""First run on an empty database: demo data to look around, or an empty start."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

INTRO = (
    "This database is empty.\n\n"
    "Fill it with demo data (a few dozen fictional clients with deals in every stage) to "
    "look around, or start empty and add your own clients. Demo data can be written later "
    "with `d` on the pipeline while the database is still empty, or `accmgr demo`."
)


class WelcomeScreen(ModalScreen[str]):
    """Returns "demo" or "empty"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d", "choose('demo')", "Demo data", id="welcome.demo", tooltip="Fill with demo data"
        ),
        Binding(
            "e,escape", "choose('empty')", "Empty start", id="welcome.empty", tooltip="Start empty"
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static("Welcome to accmgr", id="welcome-title")
            yield Static(INTRO, id="welcome-text", markup=False)
            with Horizontal(id="welcome-buttons"):
                yield Button("Demo data (d)", id="demo", variant="primary")
                yield Button("Empty start (e)", id="empty")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "empty")
