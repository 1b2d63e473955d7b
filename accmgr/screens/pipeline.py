"""The pipeline: the eight stages as columns, a card per open deal, kept live.

Reading the store, working out every card and every write run in thread workers behind the
app's store lock (TinyDB is not thread-safe); a timer picks up changes made by the CLI or
another terminal. Filtering runs on the UI thread over text lowercased by the loader, and a
column re-draws only when its cards changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, OptionList, Static
from textual.worker import Worker, WorkerState

from accmgr.domain.deal import Deal
from accmgr.domain.exchange import missing_note
from accmgr.domain.search import query_words
from accmgr.domain.stages import Stage
from accmgr.errors import AccmgrError, ConflictError
from accmgr.screens.board_cards import Board, CardCache
from accmgr.screens.board_forms import (
    ClientChoice,
    LostForm,
    MoveForm,
    NewDealForm,
    StagePicker,
    WonForm,
)
from accmgr.screens.board_layout import layout_for, window
from accmgr.screens.board_legend import LegendScreen, explain_card, stage_legend
from accmgr.screens.deleting import ask_and_delete, delete_binding
from accmgr.screens.notices import warn_on_entry
from accmgr.services import deals as deal_service
from accmgr.services.board import read_board
from accmgr.services.conversion import IN_APP
from accmgr.services.totals import missing_rates
from accmgr.widgets.deal_card import DealCard
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.section_bar import SectionBar
from accmgr.widgets.stage_column import StageColumn
from accmgr.widgets.stage_strip import StageStrip, board_headline

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp
    from accmgr.services.workspace import Workspace

REFRESH_SECONDS = 1.0


class BoardScroll(HorizontalScroll, inherit_bindings=False):
    """The columns side by side. Without the scroll keys of its base class: left and right
    are the screen's keys for the next column (the scroll follows the focused column), and
    the container's own left/right took them first, scrolling the board instead."""


class PipelineScreen(Screen[None]):
    TITLE = "Pipeline"
    AUTO_FOCUS = "#stage-prospecting CardList"
    DEFAULT_CSS = """
    PipelineScreen #filter { margin: 0 1; }
    PipelineScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    PipelineScreen #board { height: 1fr; overflow-x: hidden; }
    PipelineScreen #totals { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "focus_filter", "Filter", id="pipeline.filter", tooltip="Filter the cards"
        ),
        delete_binding("pipeline", "highlighted deal with its activities and draft documents"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="pipeline.clear_filter",
            tooltip="Show every card again",
        ),
        Binding(
            "m",
            "move(1)",
            "Next stage",
            id="pipeline.move_next",
            tooltip="Move the deal to the next stage (asks for a reason if it is not ready)",
        ),
        Binding(
            "shift+right",
            "move(1)",
            "Next stage",
            show=False,
            id="pipeline.move_next_arrow",
            tooltip="Move the deal to the next stage",
        ),
        Binding(
            "shift+left",
            "move(-1)",
            "Back",
            show=False,
            id="pipeline.move_back",
            tooltip="Move the deal back one stage",
        ),
        Binding(
            "M",
            "choose_stage",
            "Move to…",
            id="pipeline.move_to",
            tooltip="Move the deal to a stage you choose (skipping stages needs a reason)",
        ),
        Binding("w", "won", "Won", id="pipeline.won", tooltip="The contract is signed"),
        Binding("l", "lost", "Lost", id="pipeline.lost", tooltip="Lost, with a reason"),
        Binding(
            "c",
            "complete",
            "Complete",
            show=False,
            id="pipeline.complete",
            tooltip="The contract is seen through: the deal completes and leaves the board",
        ),
        Binding("n", "new_deal", "New deal", id="pipeline.new", tooltip="Start a new deal"),
        Binding(
            "e",
            "edit_deal",
            "Edit",
            show=False,
            id="pipeline.edit",
            tooltip="Edit the deal: title, value, expected close, probability, owner, tags",
        ),
        Binding(
            "left",
            "column(-1)",
            "Column left",
            show=False,
            id="pipeline.column_left",
            tooltip="The stage to the left",
        ),
        Binding(
            "right",
            "column(1)",
            "Column right",
            show=False,
            id="pipeline.column_right",
            tooltip="The stage to the right",
        ),
        Binding(
            "t",
            "totals",
            "Totals",
            id="pipeline.totals",
            tooltip="The totals in the reporting currency and by currency, with each rate",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="pipeline.reload",
            tooltip="Read the database again",
        ),
        Binding(
            "d",
            "demo",
            "Demo data",
            id="pipeline.demo",
            tooltip="Fill this empty database with realistic demo data",
        ),
    ]

    _bindings_due = False  # a footer update is scheduled (see refresh_bindings)
    _bindings_shown: object = None  # what the footer was last told
    _keys_due = False  # the first load ended (shown or failed): the footer may show keys

    class BoardLoaded(Message):
        """A worker finished reading the board."""

        def __init__(self, board: Board) -> None:
            super().__init__()
            self.board = board

    class DealOpened(Message):
        """The user opened a deal from the board (the deal workspace may listen)."""

        def __init__(self, deal_id: str) -> None:
            super().__init__()
            self.deal_id = deal_id

    def __init__(self) -> None:
        super().__init__()
        self._seen_version = -1
        self._seen_settings: object = None
        self._empty = False
        self._cache = CardCache()
        self._board = Board({stage: () for stage in Stage}, 0)
        self._current: Stage = Stage.PROSPECTING
        self._layout = layout_for(0)
        self._first = 0  # the first stage shown when not all fit
        self._shown_count = 0  # cards the filter lets through
        self._select_after: str | None = None
        # True once the first load is on screen (the benchmark and tests wait for it).
        self.ready = False
        # The filter the columns show now (the benchmark times keystrokes with it).
        self.applied_filter = ""

    def refresh_bindings(self) -> None:
        """Tell the footer once per refresh, however many changes asked for it.

        Each call makes the footer rebuild all its keys (widgets, styles, layout); while the
        board starts, focus, the first load and the highlighted cards asked seven times in a
        row, and those rebuilds were a fifth of the start-up.
        """
        # Nor before the board is first shown: until a card is highlighted the keys are all
        # about to change, and each rebuild then slowed the load it waited for.
        if self._keys_due and not self._bindings_due:
            self._bindings_due = True
            self.call_after_refresh(self._publish_bindings)

    def _publish_bindings(self) -> None:
        self._bindings_due = False
        # Only when what the footer shows changed: rebuilding it mounts widgets, which asked
        # for yet another rebuild of the same keys.
        shown = (
            self.app.app_focus,
            tuple(
                (key, active.binding.description, active.enabled, active.tooltip)
                for key, active in self.active_bindings.items()
            ),
        )
        if shown != self._bindings_shown:
            self._bindings_shown = shown
            super().refresh_bindings()

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    @property
    def workspace(self) -> Workspace:
        return self.accmgr.workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield SectionBar("pipeline")
        yield Input(
            placeholder="/ to filter by client, title, tag or owner",
            id="filter",
            compact=True,
        )
        yield Static("Loading…", id="status", markup=False)
        yield Static("", id="totals", markup=False)
        yield StageStrip(id="strip")
        with BoardScroll(id="board"):
            for stage in Stage:
                yield StageColumn(stage, id=f"stage-{stage.value}")
        yield AppFooter()

    def on_mount(self) -> None:
        # The first column has the focus from the start (AUTO_FOCUS): the app's default, the
        # filter, then moved here, cost the start-up a needless restyle and layout.
        self._relayout(self.app.size.width)
        self.load_board(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    def on_resize(self, event: events.Resize) -> None:
        self._relayout(event.size.width)

    # Layout: which stages are shown, and how

    def _relayout(self, width: int) -> None:
        layout = layout_for(width)
        compact_changed = layout.compact != self._cache.layout.compact
        self._layout = layout
        self._cache.layout.compact = layout.compact
        self.query_one("#strip", StageStrip).display = layout.strip
        self._show_window()
        if compact_changed:
            for stage in Stage:
                # The cards' height changed: the list measures them again.
                self.column(stage).option_list._clear_caches()
        self._update_overview()
        if self.ready:  # the strip came or went: the status says in which currency it counts
            self._update_status(self.applied_filter, self._shown_count)

    def _show_window(self) -> None:
        """Show the stages of the window that holds the current one, hide the rest."""
        visible = self._layout.visible
        self._first = window(self._first, self._current.position, visible)
        for stage in Stage:
            self.column(stage).display = self._first <= stage.position < self._first + visible

    def _update_overview(self) -> None:
        board = self._board
        totals = self.query_one("#totals", Static)
        width = max(self.app.size.width - 2, 20)
        text = board_headline(board.totals, board.won_this_month, board.convert, width)
        totals.update("" if self._empty else text, layout=False)
        strip = self.query_one("#strip", StageStrip)
        if strip.display:
            stages = [(stage, self.column(stage).totals) for stage in Stage]
            strip.show(stages, self._current, board.convert, self._strip_currency())

    def column(self, stage: Stage) -> StageColumn:
        return self.query_one(f"#stage-{stage.value}", StageColumn)

    @property
    def current_card(self) -> DealCard | None:
        return self.column(self._current).highlighted_card

    # Loading

    def _poll(self) -> None:
        self.load_board(force=False)

    def action_reload(self) -> None:
        self.load_board(force=True)

    # A deal damaged by hand in the file is reported (_load_failed: the notice names the
    # field) and the app stays up: the rest of it — and the CLI to repair the record — works.
    @work(
        thread=True,
        exclusive=True,
        group="board",
        description="Reading the pipeline",
        exit_on_error=False,
    )
    def load_board(self, force: bool) -> None:
        workspace = self.workspace
        with self.accmgr.store_lock:
            store = workspace.store
            store.refresh()
            # New settings (reporting currency, stage rules) change the totals too.
            settings = workspace.settings
            if not force and (store.version, settings) == (self._seen_version, self._seen_settings):
                return
            self._seen_version, self._seen_settings = store.version, settings
            read = read_board(workspace, self._cache.facts)
        if read.rates_problem:  # a damaged rates record must not hide the deals
            self.app.call_from_thread(
                self.notify,
                read.rates_problem,
                title="Totals shown per currency",
                severity="warning",
            )
        cards = self._cache.build(read, workspace.now(), workspace.rules)
        self.post_message(self.BoardLoaded(Board.of(cards, read)))

    @on(BoardLoaded)
    def _show(self, event: BoardLoaded) -> None:
        self._board = event.board
        self._empty = event.board.total == 0 and event.board.clients == 0
        self._apply_filter()
        if self._select_after is not None:
            self._select(self._select_after)
            self._select_after = None
        self.ready = True
        self._keys_due = True
        self.refresh_bindings()

    @on(Worker.StateChanged)
    def _load_failed(self, event: Worker.StateChanged) -> None:
        # Say what is wrong (a worker's state does not reach the app), and show the keys.
        if event.worker.group == "board" and event.state == WorkerState.ERROR:
            self.notify(
                str(event.worker.error),
                title="Could not read the pipeline",
                severity="error",
                timeout=10,
            )
            self._keys_due = True
            self.refresh_bindings()

    def _apply_filter(self, *, follow: bool = False) -> None:
        """Show the cards the filter matches; ``follow`` (the user typed) brings matches
        into view. A reload does not: it must not move the board under the user's focus."""
        typed = self.query_one("#filter", Input).value.strip()
        words = query_words(typed)
        needle = " ".join(words)
        shown = 0
        for stage, cards in self._board.cards.items():
            if words:
                cards = tuple(card for card in cards if card.matches(words))
            self.column(stage).show(cards, self._board.convert)
            shown += len(cards)
        if needle and follow:
            self._follow_matches()
        self._shown_count = shown
        self._update_status(typed, shown)
        self._update_overview()
        self.applied_filter = needle

    def _strip_currency(self) -> str:
        """The one currency of the strip's totals: the one most shown cards are in."""
        counts: dict[str, int] = {}
        for stage in Stage:
            for currency, count in self.column(stage).totals.deals.items():
                counts[currency] = counts.get(currency, 0) + count
        return min(counts, key=lambda cur: (-counts[cur], cur)) if counts else ""

    def _follow_matches(self) -> None:
        """Keep the matches in view: when the current stage has none, the first shown stage
        with matches becomes current, else the first stage with any (brought into view)."""
        if self.column(self._current).cards:
            return
        matching = [stage for stage in Stage if self.column(stage).cards]
        if not matching:
            return
        shown = [stage for stage in matching if self.column(stage).display]
        self._current = (shown or matching)[0]
        self._show_window()

    def _update_status(self, needle: str, shown: int) -> None:
        status = self.query_one("#status", Static)
        total = self._board.total
        if self._empty:
            text = "No deals yet. Press d to fill this database with demo data."
        elif needle:
            text = f"{shown} of {total} deals match “{needle}” · esc clears"
        else:
            won = self._board.totals.won_count
            deals = f"{total - won} open deals" + (f" and {won} won" if won else "")
            text = f"{deals} in {self._board.clients} clients"
        header = self._board.totals.currencies[:1]
        strip = self._strip_currency()
        # With rates every figure is in the reporting currency; without, the strip's may
        # differ from the header's.
        per_currency = self._board.convert({}) is None
        if per_currency and self._layout.strip and strip and [strip] != header:
            text += f" · strip totals in {strip}"
        text += "".join(f" · ⚠ {note}" for note in self._missing_rates())
        # One line, fixed height: no layout pass needed (it cost a whole-screen render).
        status.update(text, layout=False)

    def _missing_rates(self) -> list[str]:
        """ "2 deals in RUB have no rate — add one in Settings", for the whole board."""
        missing = missing_rates(self._board.totals, self._board.convert)
        return [missing_note(count, "deal", cur, IN_APP) for cur, count in missing.items()]

    def _select(self, deal_id: str) -> None:
        for stage in Stage:
            column = self.column(stage)
            if column.select_deal(deal_id):
                self._current = stage
                self._show_window()
                column.option_list.focus()
                column.scroll_visible()
                return

    # Focus and filter

    def on_descendant_focus(self, event: Any) -> None:
        widget = event.widget if hasattr(event, "widget") else None
        for node in widget.ancestors_with_self if isinstance(widget, Widget) else ():
            if isinstance(node, StageColumn):
                self._current = node.stage
                self._show_window()
                self._update_overview()
                self.refresh_bindings()
                return

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply_filter(follow=True)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self._focus_column(self._current, step=1, include_self=True)

    def action_focus_filter(self) -> None:
        # At once, not on the next tick (Widget.focus): fewer of the letters typed right after
        # "/" reach the board's keys (l is Lost) instead of the filter.
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self._focus_column(self._current, step=1, include_self=True)

    def action_column(self, step: int) -> None:
        self._focus_column(self._current, step=step, include_self=False)

    def action_edge(self, index: int) -> None:
        self._focus_column(list(Stage)[index], step=1, include_self=True)

    def action_totals(self) -> None:
        from accmgr.screens.board_totals import BoardTotalsScreen, board_sections

        board = self._board
        shown = " (cards the filter shows)" if self.applied_filter else ""
        stages = [
            (f"{stage.number} {stage.label}{shown}", self.column(stage).totals) for stage in Stage
        ]
        sections = board_sections(board.totals, board.won_this_month, stages)
        self.app.push_screen(BoardTotalsScreen(sections, board.convert, self._missing_rates()))

    def action_explain(self) -> None:
        card = self.current_card
        legend = stage_legend(self.workspace.rules)
        if card is None:
            self.app.push_screen(LegendScreen("What the board's markers mean", [], legend))
            return
        title = f"{card.deal_id} {card.title} — {card.client}"
        self.app.push_screen(LegendScreen(title, explain_card(card), legend))

    @property
    def help_legend(self) -> list[tuple[str, str]]:
        """What F1 shows under the keys: every marker a card or a total can carry."""
        return stage_legend(self.workspace.rules)

    def _focus_column(self, start: Stage, *, step: int, include_self: bool) -> None:
        stages = list(Stage)
        index = stages.index(start)
        order = [index] if include_self else []
        order += [(index + step * i) for i in range(1, len(stages))]
        for i in order:
            if 0 <= i < len(stages):
                # Focus and the current stage change at once, so that arrows pressed in quick
                # succession count from the column the previous one reached.
                self._current = stages[i]
                self._show_window()
                self.set_focus(self.column(stages[i]).option_list)
                self._update_overview()
                return

    # Actions on the highlighted deal

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo":
            # Offered only while the database is empty (the service refuses otherwise).
            return self._empty
        if action in {"move", "choose_stage", "won", "lost", "complete", "edit_deal"}:
            card = self.current_card
            if card is None:
                return None
            if action == "complete":
                return True if card.stage >= Stage.FULFILMENT else None
            if action == "won":
                return True if card.stage == Stage.CLOSING else None
            if action == "lost":
                return True if card.stage <= Stage.CLOSING else None
        return True

    @on(StageColumn.DealOpened)
    def _card_chosen(self, event: StageColumn.DealOpened) -> None:
        self._current = event.column.stage
        self._open(event.deal_id)

    def _open(self, deal_id: str) -> None:
        from accmgr.screens.deal import DealScreen  # not needed until a deal is opened

        self.post_message(self.DealOpened(deal_id))
        self.app.push_screen(DealScreen(deal_id))

    def action_move(self, step: int) -> None:
        card = self.current_card
        if card is None:
            return
        target = _step(card.stage, step)
        if target is None:
            edge = "first" if step < 0 else "last"
            self.notify(f"{card.stage.label} is the {edge} stage", severity="warning")
            return
        if card.stage == Stage.CLOSING and step > 0:
            self.notify(
                "A deal leaves Closing won (w: the contract is signed) or lost (l).",
                severity="warning",
            )
            return
        self.plan_move(card, target)

    def action_choose_stage(self) -> None:
        card = self.current_card
        if card is None:
            return

        def chosen(stage: Stage | None) -> None:
            if stage is not None:
                self.plan_move(card, stage)

        self.app.push_screen(StagePicker(card.deal_id, card.title, card.stage), chosen)

    @work(thread=True, group="board-write", description="Moving the deal")
    def plan_move(self, card: DealCard, target: Stage) -> None:
        workspace = self.workspace
        try:
            with self.accmgr.store_lock:
                workspace.store.refresh()
                deal = deal_service.get_deal(workspace, card.deal_id)
                _check_unchanged(deal, card)
                plan = deal_service.plan_move(workspace, deal, target)
                moved = None
                if not plan.needs_reason:
                    moved = deal_service.move_deal(
                        workspace, deal.id, target, expected_rev=deal.rev
                    )
        except AccmgrError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        if moved is not None:
            self.app.call_from_thread(self._done, moved, f"moved to {target.label}")
            return
        form = MoveForm(plan, workspace=workspace, lock=self.accmgr.store_lock)
        self.app.call_from_thread(
            self.app.push_screen, form, lambda d: self._done(d, f"moved to {target.label}")
        )

    def action_delete_record(self) -> None:
        card = self.current_card
        if card is not None:
            ask_and_delete(self, card.deal_id, lambda: self.load_board(force=True))

    def action_won(self) -> None:
        card = self.current_card
        if card is not None:
            form = WonForm(card, workspace=self.workspace, lock=self.accmgr.store_lock)
            self.app.push_screen(form, lambda d: self._done(d, "won"))

    def action_lost(self) -> None:
        card = self.current_card
        if card is not None:
            form = LostForm(card, workspace=self.workspace, lock=self.accmgr.store_lock)
            self.app.push_screen(form, lambda d: self._done(d, "lost"))

    def action_complete(self) -> None:
        card = self.current_card
        if card is not None:
            self.complete(card)

    @work(thread=True, group="board-write", description="Completing the deal")
    def complete(self, card: DealCard) -> None:
        try:
            with self.accmgr.store_lock:
                deal = deal_service.complete_deal(
                    self.workspace, card.deal_id, expected_rev=card.rev
                )
        except AccmgrError as exc:
            self.app.call_from_thread(self._refused, exc, "Not completed")
            return
        self.app.call_from_thread(self._done, deal, "completed")

    def action_new_deal(self) -> None:
        self.open_new_deal()

    def action_edit_deal(self) -> None:
        card = self.current_card
        if card is not None:
            self.open_edit(card.deal_id)

    @work(thread=True, exclusive=True, group="edit-deal", description="Reading the deal")
    def open_edit(self, deal_id: str) -> None:
        """The new-deal form, filled with the deal as stored now (the card may lag)."""
        try:
            with self.accmgr.store_lock:
                deal = deal_service.get_deal(self.workspace, deal_id)
        except AccmgrError as exc:
            self.app.call_from_thread(self._refused, exc, "Not opened")
            return
        form = NewDealForm((), workspace=self.workspace, lock=self.accmgr.store_lock, deal=deal)
        self.app.call_from_thread(self.app.push_screen, form, lambda d: self._done(d, "saved"))

    @work(thread=True, exclusive=True, group="new-deal", description="Reading the clients")
    def open_new_deal(self) -> None:
        from accmgr.services.clients import list_clients

        with self.accmgr.store_lock:
            found = [ClientChoice(c.id, c.name, c.currency) for c in list_clients(self.workspace)]
        if not found:
            self.app.call_from_thread(
                self.notify, "Add a client first (accmgr client add NAME).", severity="warning"
            )
            return
        form = NewDealForm(found, workspace=self.workspace, lock=self.accmgr.store_lock)
        self.app.call_from_thread(self.app.push_screen, form, lambda d: self._done(d, "created"))

    def _done(self, deal: Deal | None, what: str) -> None:
        if deal is None:
            return
        where = "" if deal.is_open else " and left the board"
        self.notify(f"{deal.id} “{deal.title}” {what}{where}.", timeout=3)
        self._select_after = deal.id if deal.is_open else None
        self.load_board(force=True)
        if what.startswith("moved"):
            warn_on_entry(self, deal)

    def _refused(self, exc: AccmgrError, what: str = "Not moved") -> None:
        conflict = isinstance(exc, ConflictError)
        self.notify(
            str(exc),
            title="Changed elsewhere" if conflict else what,
            severity="warning",
            timeout=6,
        )
        if conflict:
            self.load_board(force=True)

    # Demo data

    def action_demo(self) -> None:
        self.notify("Writing demo data…", timeout=2)
        self.fill_demo()

    @work(thread=True, exclusive=True, group="demo", description="Writing demo data")
    def fill_demo(self) -> None:
        from accmgr.services.demo import fill_demo

        workspace = self.workspace
        with self.accmgr.store_lock:
            summary = fill_demo(workspace.store, scale="small", now=workspace.now())
        self.app.call_from_thread(self.notify, f"Demo data written: {summary.total} records")
        self.app.call_from_thread(self.load_board, True)


def _step(stage: Stage, step: int) -> Stage | None:
    stages = list(Stage)
    index = stage.position + step
    return stages[index] if 0 <= index < len(stages) else None


def _check_unchanged(deal: Deal, card: DealCard) -> None:
    if deal.rev != card.rev:
        raise ConflictError(
            f"deal {deal.id} was changed elsewhere since the board showed it; the board is "
            "read again — look at the card and try once more"
        )


__all__ = ["Board", "OptionList", "PipelineScreen"]
