"""The Textual application. For now: the pipeline, deals per stage, kept live.

Store access runs in a thread worker behind one lock (TinyDB is not thread-safe), and a
timer picks up changes made by the CLI or another terminal.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from accmgr.domain.deal import Deal
from accmgr.domain.stages import Stage
from accmgr.services.workspace import Workspace
from accmgr.widgets.stage_column import StageColumn

REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class Board:
    """What the pipeline shows, computed off the UI thread."""

    deals_by_stage: dict[Stage, list[Deal]]
    client_names: dict[str, str]


class AccmgrApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "accmgr"
    SUB_TITLE = "Pipeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave accmgr"),
        Binding("q", "quit", "Quit", show=False, id="app.quit_q"),
        Binding("r", "reload", "Reload", id="pipeline.reload", tooltip="Read the database again"),
        Binding(
            "d",
            "demo",
            "Demo data",
            id="pipeline.demo",
            tooltip="Fill this empty database with realistic demo data",
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._store_lock = threading.Lock()
        self._seen_version = -1
        self._empty = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="status")
        with HorizontalScroll(id="board"):
            for stage in Stage:
                yield StageColumn(stage, id=f"stage-{stage.value}")
        yield Footer()

    def on_mount(self) -> None:
        self.load_board(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    def _poll(self) -> None:
        self.load_board(force=False)

    def action_reload(self) -> None:
        self.load_board(force=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Demo data is offered only while the database is empty (the CLI refuses otherwise).
        if action == "demo":
            return self._empty
        return True

    def action_demo(self) -> None:
        self.notify("Writing demo data…", timeout=2)
        self.fill_demo()

    @work(thread=True, exclusive=True, group="demo", description="Writing demo data")
    def fill_demo(self) -> None:
        from accmgr.services.demo import fill_demo

        with self._store_lock:
            summary = fill_demo(self.workspace.store, scale="small", now=self.workspace.now())
        self.call_from_thread(self.notify, f"Demo data written: {summary.total} records")
        self.call_from_thread(self.load_board, True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where any failed background job becomes a humane notification."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title="Could not finish", severity="error")

    @work(thread=True, exclusive=True, group="board", description="Reading the pipeline")
    def load_board(self, force: bool) -> None:
        with self._store_lock:
            store = self.workspace.store
            store.refresh()
            if not force and store.version == self._seen_version:
                return
            self._seen_version = store.version
            docs = store.all("deals")
            names = {c["id"]: c["name"] for c in store.all("clients")}
            deals = [Deal.from_dict(doc) for doc in docs]
        by_stage: dict[Stage, list[Deal]] = {stage: [] for stage in Stage}
        for deal in deals:
            if deal.is_open:
                by_stage[deal.stage].append(deal)
        self.call_from_thread(self._show, Board(by_stage, names))

    def _show(self, board: Board) -> None:
        now = self.workspace.now()
        total = 0
        for stage, deals in board.deals_by_stage.items():
            column = self.screen.query_one(f"#stage-{stage.value}", StageColumn)
            column.show(deals, board.client_names, now, self.workspace.rules)
            total += len(deals)
        status = self.screen.query_one("#status", Static)
        self._empty = total == 0 and not board.client_names
        self.refresh_bindings()
        if total:
            status.update(f"{total} open deals in {len(board.client_names)} clients")
        else:
            status.update("No deals yet. Press d to fill this database with demo data.")


def run_app(workspace: Workspace) -> int:
    AccmgrApp(workspace).run()
    return 0
