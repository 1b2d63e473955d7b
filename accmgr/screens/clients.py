"""The clients list: filter as you type, sort with a key, narrow by segment, tier and country.

The rows (last contact, open deal value, warnings) are computed in a thread worker from the
raw records behind the app's store lock; a timer picks up changes made elsewhere by the
store's version, as the pipeline does. Filtering and sorting run on the UI thread over the
loaded rows: 500 clients are one DataTable, which draws only the rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from accmgr.domain.client import Client
from accmgr.domain.display import short_money
from accmgr.domain.reliability import marker
from accmgr.domain.search import key_matches, query_words
from accmgr.screens.client_forms import ClientName, ClientPicker, MergeForm, NewClientForm
from accmgr.screens.deleting import ask_and_delete, delete_binding
from accmgr.services.clients import ClientRow
from accmgr.services.merge import MergeResult
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.section_bar import SectionBar
from accmgr.widgets.visible_text import shown

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 1.0
WARNING_MARK = "⚠"


@dataclass(frozen=True)
class Sort:
    name: str
    column: str
    # The row and the user's default currency → the sort key (ascending).
    key: Callable[[ClientRow, str], Any]
    arrow: str = "▲"


def _by_value(row: ClientRow, currency: str) -> tuple[Any, ...]:
    """Biggest first in the reporting currency; then, currency by currency, the clients whose
    deals all lack a rate (amounts in two currencies are never compared unconverted)."""
    values = dict(row.open_value)
    name = row.name.casefold()
    total = row.open_total
    if total is not None and total.converted:
        return (0, -total.amount, name)
    if total is not None:
        values = {p.currency: p.amount for p in total.missing}
    if currency in values:
        return (0, -values[currency], name)
    if values:
        other, amount = max(row.open_value, key=lambda pair: pair[1])
        return (1, other, -amount, name)
    return (2, name)


# The order `s` cycles through. Tier puts key clients first; last contact and value put the
# most recent and the biggest first, which is what a KAM scans for.
SORTS: tuple[Sort, ...] = (
    Sort("name", "name", lambda r, _: (r.name.casefold(), r.id)),
    Sort("tier", "tier", lambda r, _: (r.tier != "key", r.name.casefold(), r.id)),
    Sort(
        "last contact",
        "last",
        lambda r, _: (-(r.last_contact or date.min).toordinal(), r.name.casefold()),
        arrow="▼",
    ),
    Sort("open deal value", "value", _by_value, arrow="▼"),
)

# What matters first (who, what is open, how recent, what to watch out for), so that those
# columns are on screen at 80 columns and the warning is never cut to a letter; the rest
# give way to the right.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("mark", " "),
    ("name", "Name"),
    ("value", "Open deals"),
    ("last", "Last contact"),
    ("warning", "Warning"),
    ("tier", "Tier"),
    ("country", "Ctry"),
    ("segment", "Segment"),
    ("owner", "Owner"),
)
WARNING_MIN, WARNING_MAX = 16, 44


def column_widths(width: int) -> dict[str, int]:
    """Fixed widths for the columns that matter; the warning takes what they leave (within
    bounds, never cut to a letter); the columns after it keep their own and scroll."""
    name = 30 if width >= 100 else 20
    widths = {"mark": 1, "name": name, "value": 12, "last": 12}
    # Each column is padded by one cell on either side; the warning's own padding, the
    # table's border and the scroll bar take the rest.
    used = sum(widths.values()) + 2 * len(widths) + 10
    widths["warning"] = max(WARNING_MIN, min(WARNING_MAX, width - used))
    return widths


ANY = "any"


def value_text(row: ClientRow) -> str:
    """The open value in the reporting currency; deals without a rate are said apart."""
    total = row.open_total
    if total is not None:
        if not total.missing:
            return short_money(total.amount, total.currency)
        if not total.converted:
            part = max(total.missing, key=lambda p: p.count)
            return short_money(part.amount, part.currency) + " no rate"
        return short_money(total.amount, total.currency) + f" +{total.missing_count} no rate"
    if not row.open_value:
        return "—"
    currency, amount = max(row.open_value, key=lambda pair: pair[1])
    more = len(row.open_value) - 1
    # Exact below 100 000, else three figures: the column keeps its width for the warning.
    return short_money(amount, currency) + (f" +{more}" if more else "")


def missing_rate_notes(rows: Iterable[ClientRow]) -> list[str]:
    """ "2 deals in RUB have no rate — add one in Settings", per currency, over ``rows``."""
    from accmgr.domain.exchange import missing_note

    counts: dict[str, int] = {}
    for row in rows:
        for part in row.open_total.missing if row.open_total else ():
            counts[part.currency] = counts.get(part.currency, 0) + part.count
    return [missing_note(n, "deal", cur, "in Settings") for cur, n in sorted(counts.items())]


def short(text: str, width: int) -> str:
    text = shown(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def last_text(day: date | None, today: date) -> str:
    if day is None:
        return "never"
    days = (today - day).days
    return f"{days} d ago" if days else "today"


class ClientsScreen(Screen[None]):
    TITLE = "Clients"
    CSS_PATH = "clients.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="clients.filter", tooltip="Filter the list"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="clients.clear_filter",
            tooltip="Show every client again",
        ),
        Binding(
            "s",
            "sort",
            "Sort",
            id="clients.sort",
            tooltip="Sort by name, tier, last contact or open deal value (cycles)",
        ),
        Binding(
            "f",
            "focus_filters",
            "Segment/tier/country",
            show=False,
            id="clients.filters",
            tooltip="Narrow the list by segment, tier or country",
        ),
        Binding("n", "new_client", "New client", id="clients.new", tooltip="Add a client"),
        delete_binding("clients", "highlighted client with its contacts, deals and activities"),
        Binding(
            "M",
            "merge",
            "Merge",
            id="clients.merge",
            tooltip="Merge another client into the highlighted one, keeping every record",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="clients.reload",
            tooltip="Read the database again",
        ),
    ]

    class RowsLoaded(Message):
        def __init__(self, rows: tuple[ClientRow, ...], today: date) -> None:
            super().__init__()
            self.rows = rows
            self.today = today

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[ClientRow, ...] = ()
        self.shown: tuple[ClientRow, ...] = ()
        self.sort = SORTS[0]
        self.today = date.min
        self._seen_version = -1
        self._select_after: str | None = None
        self._choice_values: dict[str, list[str]] = {}
        self._cell_cache: dict[str, tuple[ClientRow, tuple[Text, ...]]] = {}
        self._widths = column_widths(120)
        # True once the first load is on screen (tests and the benchmark wait for it).
        self.ready = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield SectionBar("clients")
        yield Input(
            placeholder="/ to filter by name, legal name, tax id, tag, country or owner",
            id="filter",
            compact=True,
        )
        with Horizontal(id="filters"):
            yield Select[str]([], prompt="Any segment", id="segment", compact=True)
            yield Select[str](
                [("key", "key"), ("regular", "regular")], prompt="Any tier", id="tier", compact=True
            )
            yield Select[str]([], prompt="Any country", id="country", compact=True)
        yield Static("Loading…", id="status", markup=False)
        table: DataTable[Any] = DataTable(id="clients", cursor_type="row", zebra_stripes=True)
        yield table
        yield AppFooter()

    def on_mount(self) -> None:
        self._columns()
        self.table.focus()
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    def on_resize(self, event: events.Resize) -> None:
        # The columns' widths follow the terminal's: columns and cells are made again.
        if column_widths(event.size.width) != self._widths:
            self._widths = column_widths(event.size.width)
            self._cell_cache.clear()
            self._columns()
            self.shown = ()
            self.apply()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#clients", DataTable)

    def _columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        for key, label in COLUMNS:
            if key == self.sort.column:
                label += " " + self.sort.arrow
            table.add_column(label, key=key, width=self._widths.get(key))

    # Loading

    def _poll(self) -> None:
        self.load(force=False)

    def action_reload(self) -> None:
        self.load(force=True)

    @work(thread=True, exclusive=True, group="clients", description="Reading the clients")
    def load(self, force: bool) -> None:
        from accmgr.services.clients import client_rows

        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            store = workspace.store
            store.refresh()
            if not force and store.version == self._seen_version:
                return
            self._seen_version = store.version
            rows = client_rows(workspace)
        self.post_message(self.RowsLoaded(tuple(rows), workspace.today()))

    @on(RowsLoaded)
    def _loaded(self, event: RowsLoaded) -> None:
        keep = self.current.id if self.current else None
        self.rows, self.today = event.rows, event.today
        self._cell_cache.clear()
        self.shown = ()
        self._choices("segment", sorted({r.segment for r in self.rows if r.segment}))
        self._choices("country", sorted({r.country for r in self.rows if r.country}))
        self.apply(keep)
        if self._select_after is not None:
            self.select(self._select_after)
            self._select_after = None
        self.ready = True

    def _choices(self, select_id: str, values: list[str]) -> None:
        select: Select[str] = self.query_one(f"#{select_id}", Select)
        if self._choice_values.get(select_id) == values:
            return  # unchanged: setting the options would drop the user's choice
        self._choice_values[select_id] = values
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options((value, value) for value in values)
            if current in values:
                select.value = current

    # Filter, filters, sort

    def _selected(self, select_id: str) -> str | None:
        value = self.query_one(f"#{select_id}", Select).value
        return None if value is Select.NULL else str(value)

    def matches(self, row: ClientRow) -> bool:
        words = query_words(self.query_one("#filter", Input).value)
        if not key_matches(words, row.haystack):
            return False
        segment, tier, country = (self._selected(s) for s in ("segment", "tier", "country"))
        return (
            (segment is None or row.segment == segment)
            and (tier is None or row.tier == tier)
            and (country is None or row.country == country)
        )

    def apply(self, keep: str | None = None) -> None:
        """Show the rows that match, in the chosen order, keeping the highlighted client."""
        if keep is None and self.current is not None:
            keep = self.current.id
        currency = self.accmgr.workspace.settings.default_currency
        found = sorted(
            (row for row in self.rows if self.matches(row)),
            key=lambda row: self.sort.key(row, currency),
        )
        shown = tuple(found)
        if shown and shown == self.shown and self.table.row_count == len(shown):
            self._status()
            return  # same rows in the same order: no redraw
        self.shown = shown
        table = self.table
        table.clear()
        for row in self.shown:
            table.add_row(*self._cells(row), key=row.id)
        if keep is not None:
            self.select(keep)
        self._status()

    def _cells(self, row: ClientRow) -> tuple[Text, ...]:
        """The row's cells, made once per load: a keystroke in the filter only re-adds them.
        Text (not str) so the table does not parse them as markup again on every add."""
        widths = self._widths
        cached = self._cell_cache.get(row.id)
        if cached is not None and cached[0] is row:
            return cached[1]
        # The worst warning's glyph (⊘ stop, ⚠ caution, ℹ info): not colour alone.
        mark = Text(marker(row.warnings), style="bold red")
        more = f" +{len(row.warnings) - 1}" if len(row.warnings) > 1 else ""
        fit = widths["warning"] - len(more)
        warning = Text(short(row.warnings[0], fit) if row.warnings else "", style="red")
        warning.append(more, style="bold red")
        cells = (
            mark,
            Text(short(row.name, widths["name"])),
            Text(value_text(row), justify="right"),
            Text(last_text(row.last_contact, self.today)),
            warning,
            Text(row.tier),
            Text(row.country or "—"),
            Text(short(row.segment, 16) or "—"),
            Text(short(row.owner, 16) or "—"),
        )
        self._cell_cache[row.id] = (row, cells)
        return cells

    def _status(self) -> None:
        total, shown = len(self.rows), len(self.shown)
        warned = sum(1 for r in self.shown if r.warnings)
        if not total:
            text = "No clients yet: n adds one."
        elif shown == total:
            text = f"{total} clients"
        else:
            text = f"{shown} of {total} clients match"
        if total:
            text += f" · {warned} with warnings {WARNING_MARK}" if warned else ""
            text += f" · sorted by {self.sort.name} (s)"
            text += "".join(f" · {note}" for note in missing_rate_notes(self.shown))
        self.query_one("#status", Static).update(text)

    def select(self, client_id: str) -> None:
        for index, row in enumerate(self.shown):
            if row.id == client_id:
                self.table.move_cursor(row=index)
                return

    @property
    def current(self) -> ClientRow | None:
        if not self.shown:
            return None
        index = self.table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    @on(Input.Changed, "#filter")
    @on(Select.Changed)
    def _narrowed(self) -> None:
        self.apply()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#segment", Select).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.table.focus()

    def action_sort(self) -> None:
        self.sort_by(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])
        self.table.move_cursor(row=0)

    def sort_by(self, sort: Sort) -> None:
        self.sort = sort
        self._columns()  # the header shows the order
        self.shown = ()
        self.apply()

    @on(DataTable.HeaderSelected, "#clients")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a sortable column's header sorts by it, as `s` would."""
        for sort in SORTS:
            if sort.column == event.column_key.value and sort is not self.sort:
                self.sort_by(sort)
                return

    # Opening, creating, merging

    @on(DataTable.RowSelected, "#clients")
    def _opened(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_client(event.row_key.value)

    def open_client(self, client_id: str) -> None:
        from accmgr.screens.client import ClientScreen

        self.app.push_screen(ClientScreen(client_id))

    def action_new_client(self) -> None:
        form = NewClientForm(self.accmgr.workspace, self.accmgr.store_lock)
        self.app.push_screen(form, self._created)

    def _created(self, client: Client | None) -> None:
        if client is not None:
            self.notify(f"{client.id} {client.name} created", timeout=3)
            self._select_after = client.id
            self.load(force=True)

    def action_delete_record(self) -> None:
        if self.current is not None:
            ask_and_delete(self, self.current.id, lambda: self.load(force=True))

    def action_merge(self) -> None:
        keep = self.current
        if keep is None:
            return
        names = [ClientName(r.id, r.name, r.legal_name) for r in self.rows if r.id != keep.id]
        if not names:
            self.notify("There is no other client to merge.", severity="warning")
            return
        text = (
            f"Merge another client into {keep.name} ({keep.id}). "
            "Every record of the other moves here."
        )

        def picked(other_id: str | None) -> None:
            if other_id is not None:
                self.preview_merge(keep.id, other_id)

        self.app.push_screen(ClientPicker("Merge into " + keep.id, text, names), picked)

    @work(thread=True, exclusive=True, group="clients-merge", description="Counting records")
    def preview_merge(self, keep_id: str, other_id: str) -> None:
        from accmgr.services.merge import merge_preview

        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            workspace.store.refresh()
            preview = merge_preview(workspace, keep_id, other_id)
        form = MergeForm(workspace, self.accmgr.store_lock, preview)
        self.app.call_from_thread(self.app.push_screen, form, self._merged)

    def _merged(self, result: MergeResult | None) -> None:
        if result is not None:
            other = result.client.merged_from[-1]
            self.notify(
                f"{other.id} {other.name} merged into {result.client.id}: {result.describe()}",
                timeout=5,
            )
            self._select_after = result.client.id
            self.load(force=True)
