"""The pipeline: the eight stages as columns, a card per open deal, kept live.

Store reads run in a thread worker behind the app's store lock (TinyDB is not thread-safe);
a timer picks up changes made by the CLI or another terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from accmgr.domain.deal import Deal
from accmgr.domain.stages import Stage
from accmgr.widgets.stage_column import StageColumn

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class Board:
    """What the pipeline shows, computed off the UI thread."""

    deals_by_stage: dict[Stage, list[Deal]]
    client_names: dict[str, str]


class PipelineScreen(Screen[None]):
    TITLE = "Pipeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload", id="pipeline.reload", tooltip="Read the database again"),
        Binding(
            "d",
            "demo",
            "Demo data",
            id="pipeline.demo",
            tooltip="Fill this empty database with realistic demo data",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._seen_version = -1
        self._empty = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

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

        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            summary = fill_demo(workspace.store, scale="small", now=workspace.now())
        self.app.call_from_thread(self.notify, f"Demo data written: {summary.total} records")
        self.app.call_from_thread(self.load_board, True)

    @work(thread=True, exclusive=True, group="board", description="Reading the pipeline")
    def load_board(self, force: bool) -> None:
        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            store = workspace.store
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
        self.app.call_from_thread(self._show, Board(by_stage, names))

    def _show(self, board: Board) -> None:
        workspace = self.accmgr.workspace
        now = workspace.now()
        total = 0
        for stage, deals in board.deals_by_stage.items():
            column = self.query_one(f"#stage-{stage.value}", StageColumn)
            column.show(deals, board.client_names, now, workspace.rules)
            total += len(deals)
        status = self.query_one("#status", Static)
        self._empty = total == 0 and not board.client_names
        self.refresh_bindings()
        if total:
            status.update(f"{total} open deals in {len(board.client_names)} clients")
        else:
            status.update("No deals yet. Press d to fill this database with demo data.")
