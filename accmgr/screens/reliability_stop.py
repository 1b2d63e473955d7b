"""The question asked before issuing, accepting or contracting for a client with a *stop*
reliability warning: the warnings, and the reason to go ahead, which is kept on the document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from accmgr.domain.reliability import labelled


class StopReason(ModalScreen[str | None]):
    """The reason typed (never empty), or ``None`` when the user turns back."""

    DEFAULT_CSS = """
    StopReason { align: center middle; }
    StopReason > Vertical {
        width: 80; max-width: 100%; height: auto; padding: 1 2;
        border: thick $error; background: $surface;
    }
    StopReason #stop-warnings { color: $text-error; margin: 1 0; height: auto; }
    StopReason #stop-problem { color: $text-error; height: auto; }
    StopReason Horizontal { height: auto; margin-top: 1; }
    StopReason Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Not now", tooltip="Back, nothing done"),
    ]

    def __init__(self, step: str, ref: str, warnings: Sequence[str]) -> None:
        super().__init__()
        self.step = step
        self.ref = ref
        self.warnings = tuple(warnings)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.step.capitalize()} {self.ref} despite these warnings?", markup=False
            )
            yield Static(
                "\n".join(labelled(w) for w in self.warnings), id="stop-warnings", markup=False
            )
            yield Input(
                id="stop-reason",
                placeholder="why go ahead (kept on the document and in its history)",
            )
            yield Static("", id="stop-problem", markup=False)
            with Horizontal():
                yield Button(f"{self.step.capitalize()} anyway (enter)", id="yes", variant="error")
                yield Button("Not now (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#stop-reason", Input).focus()

    @on(Input.Submitted, "#stop-reason")
    def _submitted(self) -> None:
        self._go()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self._go()

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)

    def _go(self) -> None:
        reason = self.query_one("#stop-reason", Input).value.strip()
        if not reason:
            self.query_one("#stop-problem", Static).update(
                "reason: expected a few words on why to go ahead despite the warnings"
            )
            self.query_one("#stop-reason", Input).focus()
            return
        self.dismiss(reason)

    def action_back(self) -> None:
        self.dismiss(None)
