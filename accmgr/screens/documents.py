"""The Documents section: every offer and contract, filtered as you type, by kind and status.

Rows come from :func:`accmgr.services.document_list.document_rows` (client names and deal
titles joined once, status as of today) read in a thread worker; filtering works over that
copy on the UI thread. A timer notices changes made elsewhere (the CLI, another terminal).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from accmgr.domain.display import money, when
from accmgr.domain.document import DocumentKind, DocumentStatus
from accmgr.domain.search import key_matches, query_words
from accmgr.screens.deleting import ask_and_delete, delete_binding
from accmgr.screens.live import LiveScreen
from accmgr.services.document_list import DocumentRow, document_rows
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.section_bar import SectionBar
from accmgr.widgets.visible_text import shown_cell

if TYPE_CHECKING:
    from accmgr.services.workspace import Workspace

KINDS = (DocumentKind.OFFER, DocumentKind.CONTRACT, DocumentKind.BRIEF)
STATUSES = tuple(DocumentStatus)


def editor_factory() -> Callable[[str], Screen[Any]] | None:
    """The offer editor's screen class, once it exists (it is being built alongside)."""
    if importlib.util.find_spec("accmgr.screens.offer_editor") is None:
        return None
    module = importlib.import_module("accmgr.screens.offer_editor")
    factory: Callable[[str], Screen[Any]] | None = getattr(module, "OfferEditorScreen", None)
    return factory


def open_document(screen: Screen[Any], document_id: str, *, draft: bool) -> None:
    """A draft opens in the offer editor when there is one; anything else in its screen."""
    from accmgr.screens.document import DocumentScreen

    editor = editor_factory() if draft else None
    screen.app.push_screen(editor(document_id) if editor else DocumentScreen(document_id))


class DocumentsScreen(LiveScreen[list[DocumentRow]]):
    TITLE = "Documents"
    CSS_PATH = "documents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        delete_binding("documents", "highlighted draft (an issued document is never deleted)"),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            id="documents.filter",
            tooltip="Filter by number, client, deal, kind or status",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="documents.clear_filter",
            tooltip="Clear the filters and show every document",
        ),
        Binding(
            "k",
            "cycle('kind')",
            "Kind",
            id="documents.kind",
            tooltip="Show one kind: offers, contracts, briefs, or all",
        ),
        Binding(
            "s",
            "cycle('status')",
            "Status",
            id="documents.status",
            tooltip="Show one status (expired is computed from the validity), or all",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="documents.reload",
            tooltip="Read the database again",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DocumentRow] = []
        self.shown: list[DocumentRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield SectionBar("documents")
        with Horizontal(id="doc-filters"):
            yield Input(placeholder="/ filter: number, client, deal", id="filter", compact=True)
            yield Select(
                [(k.value.capitalize() + "s", k.value) for k in KINDS],
                prompt="All kinds",
                id="kind",
                compact=True,
            )
            yield Select(
                [(s.value.capitalize(), s.value) for s in STATUSES],
                prompt="All statuses",
                id="status-filter",
                compact=True,
            )
        yield Static("Loading…", id="status", markup=False)
        table: DataTable[Text] = DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        # What matters first, with fixed widths: the number, whose it is, how much, where it
        # stands; at 80 columns the kind, deal and issue date give way to the right.
        for label, key, width in (
            ("Number", "number", 13),
            ("Ver", "version", 3),
            ("Client", "client", 18),
            ("Total", "total", 14),
            ("Status", "status", 10),
            ("Valid until", "valid", 11),
            ("Kind", "kind", 8),
            ("Deal", "deal", 14),
            ("Issued", "issued", 11),
        ):
            table.add_column(label, key=key, width=width)
        yield table
        yield AppFooter()

    def on_mount(self) -> None:
        self.table.focus()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#documents", DataTable)

    def read(self, workspace: Workspace) -> list[DocumentRow]:
        return document_rows(workspace)

    def show(self, data: list[DocumentRow]) -> None:
        self._rows = data
        self._show()

    def _choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def _show(self) -> None:
        words = query_words(self.query_one("#filter", Input).value)
        kind, status = self._choice("#kind"), self._choice("#status-filter")
        shown = [
            r
            for r in self._rows
            if key_matches(words, r.haystack)
            and (kind is None or r.kind.value == kind)
            and (status is None or r.status.value == status)
        ]
        table = self.table
        current = self.current_id
        locale = self.accmgr.workspace.locale
        table.clear()
        for row in shown:
            total = money(Decimal(row.total), row.currency, locale)
            table.add_row(
                Text(row.number or "(draft)"),
                Text(str(row.version), justify="right"),
                Text(shown_cell(row.client)),
                Text(total, justify="right"),
                Text(row.status.value),
                Text(when(row.valid_until, locale, empty="")),
                Text(row.kind.value),
                Text(row.deal),
                Text(when(row.issued_on, locale, empty="")),
                key=row.id,
            )
        self.shown = shown
        for index, row in enumerate(shown):
            if row.id == current:
                table.move_cursor(row=index)
        if not self._rows:
            text = "No documents yet: make an offer from a deal's Closing tab or the CLI."
        elif len(shown) == len(self._rows):
            text = f"{len(self._rows)} documents · Enter opens one"
        else:
            text = f"{len(shown)} of {len(self._rows)} documents match · esc clears the filters"
        self.query_one("#status", Static).update(text)

    def action_delete_record(self) -> None:
        doc_id = self.current_id
        if doc_id is not None:
            ask_and_delete(self, doc_id, lambda: self.load(force=True))

    @property
    def current_id(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(Input.Changed, "#filter")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self._show()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#kind", Select).clear()
        self.query_one("#status-filter", Select).clear()
        self.table.focus()

    def action_cycle(self, which: str) -> None:
        """The next kind or status, then all of them again."""
        select: Select[str] = self.query_one(
            "#kind" if which == "kind" else "#status-filter", Select
        )
        values = [k.value for k in KINDS] if which == "kind" else [s.value for s in STATUSES]
        current = select.value
        if not isinstance(current, str):
            select.value = values[0]
        elif values.index(current) + 1 < len(values):
            select.value = values[values.index(current) + 1]
        else:
            select.clear()

    @on(DataTable.RowSelected, "#documents")
    def _open(self) -> None:
        row = next((r for r in self.shown if r.id == self.current_id), None)
        if row is not None:
            open_document(self, row.id, draft=row.status is DocumentStatus.DRAFT)
