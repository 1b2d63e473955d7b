"""The Textual application: the shell that holds the sections and the global keys.

Sections are Textual modes, one per top-level screen, each one key away and in the command
palette. The workspace (store, clock, settings) and the one lock that serialises store
access from worker threads live here.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, ClassVar, NamedTuple

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from accmgr.config import Config, check_keymap
from accmgr.domain.display import use_locale
from accmgr.errors import AccmgrError, DamagedFileError
from accmgr.screens.catalog import CatalogScreen
from accmgr.screens.clients import ClientsScreen
from accmgr.screens.documents import DocumentsScreen
from accmgr.screens.help import HelpScreen, help_rows
from accmgr.screens.palette import RecordsProvider, declared_by_accmgr
from accmgr.screens.pipeline import PipelineScreen
from accmgr.screens.settings import SettingsScreen
from accmgr.screens.today import TodayScreen
from accmgr.screens.welcome import WelcomeScreen
from accmgr.services.settings import rules_from_config
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import ConfirmDiscard
from accmgr.widgets.section_bar import SectionLink
from accmgr.widgets.visible_text import DropTerminalControls, shown


class Section(NamedTuple):
    name: str
    title: str
    key: str
    screen: Callable[[], Screen[Any]]
    tooltip: str
    short: str = ""  # the section bar's name below 80 columns (the title when empty)


# Only sections that exist. Keys follow DESIGN.md's order so they stay put as sections land:
# F2 Today, F3 Pipeline, F4 Clients, F5 Catalog, F6 Documents, F7 Scorecard, F8 Settings.
SECTIONS: tuple[Section, ...] = (
    Section("today", "Today", "f2", TodayScreen, "What is due, overdue, stalled or expiring"),
    Section("pipeline", "Pipeline", "f3", PipelineScreen, "The eight stages with their deals"),
    Section("clients", "Clients", "f4", ClientsScreen, "Every client, its warnings and records"),
    Section("catalog", "Catalog", "f5", CatalogScreen, "Products, prices and CSV price lists"),
    Section("documents", "Documents", "f6", DocumentsScreen, "Offers and contracts, their PDFs"),
    Section(
        "settings", "Settings", "f8", SettingsScreen, "Your name, company profile, stage rules"
    ),
)
SECTION_NAMES = tuple(section.name for section in SECTIONS)
# What each section screen's SectionBar shows (read from the app, so widgets need not import it).
SECTION_LINKS = tuple(
    SectionLink(section.name, section.title, section.short or section.title[:3], section.key)
    for section in SECTIONS
)


class AccmgrApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "accmgr"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        section.name: section.screen for section in SECTIONS
    }
    DEFAULT_MODE = "pipeline"
    section_links = SECTION_LINKS
    COMMANDS = App.COMMANDS | {RecordsProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Quit stays out of the footer (F1 help lists it): 80 columns are for the screen's keys.
        # Priority: a modal screen (a form, the totals, a confirmation) would otherwise swallow
        # it; action_quit asks first when a form holds unsaved edits.
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            id="app.quit",
            tooltip="Leave accmgr",
            priority=True,
        ),
        Binding("q", "quit", "Quit", show=False, id="app.quit_q", tooltip="Leave accmgr"),
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            tooltip="Every key of this screen and of the app",
        ),
        # Out of the footer like Quit (F1 help and the palette list it): every screen's keys
        # need the 80 columns more.
        Binding(
            "ctrl+z",
            "undo",
            "Undo",
            show=False,
            id="app.undo",
            tooltip="Undo your last change made since the app was opened, one step at a time",
        ),
        *(
            Binding(
                section.key,
                f"section('{section.name}')",
                section.title,
                # Six section keys fill half of an 80-column footer: they live in F1 help
                # and the palette, and the footer keeps the keys of the screen in front.
                show=False,
                id=f"app.section.{section.name}",
                tooltip=section.tooltip,
            )
            for section in SECTIONS
        ),
    ]

    def __init__(
        self, workspace: Workspace, start: str | None = None, *, welcome: bool = False
    ) -> None:
        super().__init__()
        self.workspace = workspace
        # Every figure on every screen is written in the user's locale (domain/display.py).
        use_locale(workspace.locale)
        self.start_section = start or self.DEFAULT_MODE
        # The first-run welcome belongs to launching the product (run_app), not to every
        # embedding of the app: tests and benchmarks drive the bare shell.
        self.welcome = welcome
        # Each app session undoes its own changes only, back to when it was opened.
        self.undo_origin = f"app-{uuid.uuid4().hex[:12]}"
        self._author(workspace)
        # TinyDB is not thread-safe: every worker touching the store holds this.
        self.store_lock = threading.Lock()
        # Damage found in the database while open: said once, and the exit status says it.
        self.damage: DamagedFileError | None = None
        self._damage_shown = False
        # The store's snapshot, read before the app starts, lives as long as the app: millions
        # of objects that every full garbage collection would walk again (≈0.3 s each with
        # kam data, at start-up and now and then under a keystroke). Freezing moves them out
        # of the collector's reach; reference counting still frees them when replaced.
        gc.freeze()
        self._drop_terminal_controls = DropTerminalControls()

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Record text may hold ESC, C1 or bidi controls (old data, a hand edit): whatever a
        # screen paints without escaping it must still never reach the terminal raw.
        return [*super().get_line_filters(), self._drop_terminal_controls]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Messages often name a record ("C-0042 Acme created"): its text is shown escaped.
        super().notify(
            shown(message), title=shown(title), severity=severity, timeout=timeout, markup=markup
        )

    def on_mount(self) -> None:
        if self.workspace.settings.keymap:
            self.set_keymap(self.workspace.settings.keymap)
        self.switch_mode(self.start_section)
        # What the store noticed on opening (a failed daily backup, files others can read)
        # does not stop the work, but must not go unsaid either.
        for warning in getattr(self.workspace.store, "warnings", ()):
            self.notify(warning, title="Warning", severity="warning", timeout=30)
        if self.welcome:
            self.offer_welcome()
        self.set_interval(1.0, self._watch_damage)

    # Damage: the store keeps what it read and refuses writes; the app says so once.

    def _watch_damage(self) -> None:
        damage = getattr(self.workspace.store, "damage", None)
        if isinstance(damage, DamagedFileError):
            self._damaged(damage)
        elif damage is None and self._damage_shown:
            self._damage_shown = False  # the files were replaced by intact ones (a restore)
            self.notify("The database reads whole again; saving works again.", title="Database")

    async def action_quit(self) -> None:
        """Leave; when a screen holds unsaved edits, ask first (nothing typed is lost silently)."""
        unsaved = [screen for screen in self.screen_stack if getattr(screen, "dirty", False)]
        if not unsaved:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDiscard):
            return  # asked already

        def chosen(drop: bool | None) -> None:
            if drop:
                self.exit()

        self.push_screen(ConfirmDiscard(), chosen)

    def _damaged(self, damage: DamagedFileError) -> None:
        self.damage = damage
        if self._damage_shown:
            return  # said already; a form that tries to save says it again where it is
        self._damage_shown = True
        self.notify(
            f"{damage} What is on screen stays; nothing more can be saved until then.",
            title="The database is damaged",
            severity="error",
            timeout=24 * 3600,
        )

    def _handle_exception(self, error: Exception) -> None:
        # A screen's background job that met damage, or any error meant for the user, must
        # not end the app (and an unsaved form with it): say it, as for the app's own jobs.
        if isinstance(error, WorkerFailed) and isinstance(error.error, DamagedFileError):
            self._damaged(error.error)
        elif isinstance(error, WorkerFailed) and isinstance(error.error, AccmgrError):
            self.notify(str(error.error), title="Could not finish", severity="error")
        else:
            super()._handle_exception(error)

    def on_unmount(self) -> None:
        # The render pool's worker processes, if a PDF was rendered, must not outlive the app.
        from accmgr.screens.rendering import shutdown_pool

        shutdown_pool(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where any failed background job becomes a humane notification."""
        if isinstance(event.worker.error, DamagedFileError):
            self._damaged(event.worker.error)
        elif event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title="Could not finish", severity="error")

    def _author(self, workspace: Workspace) -> None:
        author = workspace.store.author
        author.name, author.origin = workspace.owner, self.undo_origin
        author.use_clock(workspace.now)

    @work(thread=True, exclusive=True, group="undo", description="Undoing", exit_on_error=False)
    def action_undo(self) -> None:
        from accmgr.services.history import NothingToUndo, undo_last

        try:
            with self.store_lock:
                what = undo_last(self.workspace, self.undo_origin)
        except NothingToUndo:
            self.call_from_thread(self.notify, "Nothing to undo since the app was opened")
            return
        except AccmgrError as exc:
            self.call_from_thread(self.notify, str(exc), title="Cannot undo", severity="error")
            return
        self.call_from_thread(self.notify, f"Undid: {what}", title="Undo")

    # Sections and help

    def action_section(self, name: str) -> None:
        if name != self.current_mode:
            self.switch_mode(name)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        legend = getattr(self.screen, "help_legend", None)  # a screen's markers (the board's)
        self.push_screen(
            HelpScreen(self.screen.title or "accmgr", help_rows(self, self.screen), legend)
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Sections, help, and the keys of the screen the palette was opened on."""
        for section in SECTIONS:
            yield SystemCommand(
                f"Go to {section.title}", section.tooltip, partial(self.switch_mode, section.name)
            )
        yield SystemCommand(
            "Help: keys of this screen", "Every key of this screen and the app", self.action_help
        )
        offered: set[tuple[str, str]] = set()
        for active in screen.active_bindings.values():
            node, binding = active.node, active.binding
            if node is self or not active.enabled or not binding.description:
                continue
            # Textual's own widget keys (an input's "Copy selected text", four times over)
            # are not accmgr's commands; each command is offered once.
            if not declared_by_accmgr(node, binding.action) or (
                (binding.description, binding.action) in offered
            ):
                continue
            offered.add((binding.description, binding.action))
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, node),
            )
        # Of Textual's own, the theme and quit (screenshot, maximise, key panel are not ours).
        for command in super().get_system_commands(screen):
            if command.title in {"Theme", "Quit"}:
                yield command

    # First run

    @work(
        thread=True,
        exclusive=True,
        group="welcome",
        description="Looking at the database",
        exit_on_error=False,
    )
    def offer_welcome(self) -> None:
        from accmgr.services.reset import count_records

        with self.store_lock:
            empty = count_records(self.workspace.store) == 0
        if empty:
            self.call_from_thread(self.push_screen, WelcomeScreen(), self._welcome_chosen)

    def _welcome_chosen(self, choice: str | None) -> None:
        if choice == "demo":
            self.notify("Writing demo data…", timeout=2)
            self.fill_demo()

    @work(
        thread=True,
        exclusive=True,
        group="demo",
        description="Writing demo data",
        exit_on_error=False,
    )
    def fill_demo(self) -> None:
        # The same service and scale as the pipeline's `d` key; it refuses a non-empty database.
        from accmgr.services.demo import fill_demo
        from accmgr.services.reset import count_records

        with self.store_lock:
            if count_records(self.workspace.store):
                raise AccmgrError("the database is no longer empty; demo data was not written")
            summary = fill_demo(self.workspace.store, scale="small", now=self.workspace.now())
        self.call_from_thread(self.notify, f"Demo data written: {summary.total} records")

    # Settings

    def apply_config(self, config: Config) -> None:
        """Put saved settings in force for every screen from now on."""
        self.workspace = dataclasses.replace(
            self.workspace,
            settings=config,
            rules=rules_from_config(config),
            locale=config.locale,
            owner=config.user_name,
            review_limit_days=config.review_limit_days,
        )
        use_locale(config.locale)
        self._author(self.workspace)


def binding_ids() -> set[str]:
    """Every binding id of the app and of every screen and widget accmgr defines."""
    ids: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls is AccmgrApp or cls.__module__.startswith("accmgr."):
            for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                if binding.id:
                    ids.add(binding.id)
    return ids


def run_app(workspace: Workspace, start: str | None = None) -> int:
    # A keymap entry naming no binding would silently do nothing: refuse it before starting.
    check_keymap(workspace.settings, binding_ids())
    # The KAM's day starts on Today (DESIGN.md). Embedded apps (tests, benchmarks) keep
    # DEFAULT_MODE, so their pictures do not depend on what is due.
    app = AccmgrApp(workspace, start or "today", welcome=True)
    app.run()
    if app.damage is not None:
        # Said in the app; said again here, where it stays after the screen is gone.
        print(f"accmgr: {app.damage}", file=sys.stderr)
        return 1
    return 0
