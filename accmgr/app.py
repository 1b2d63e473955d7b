"""The Textual application: the shell that holds the sections and the global keys.

Sections are Textual modes, one per top-level screen. The workspace (store, clock,
settings) and the one lock that serialises store access from worker threads live here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from accmgr.screens.pipeline import PipelineScreen
from accmgr.services.workspace import Workspace


class AccmgrApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "accmgr"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"pipeline": PipelineScreen}
    DEFAULT_MODE = "pipeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave accmgr"),
        Binding("q", "quit", "Quit", show=False, id="app.quit_q"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        # TinyDB is not thread-safe: every worker touching the store holds this.
        self.store_lock = threading.Lock()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where any failed background job becomes a humane notification."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title="Could not finish", severity="error")


def run_app(workspace: Workspace) -> int:
    AccmgrApp(workspace).run()
    return 0
