"""The Catalog section: products, filtered as you type; new, edit, (de)activate, CSV import.

The products are read in a thread worker under the store lock and kept on the screen; the
filter and the "show inactive" toggle work over that copy on the UI thread. A timer reads
the store's revision so products changed by the CLI or another terminal appear by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.console import JustifyMethod
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Input, Static

from accmgr.domain.catalog import Product
from accmgr.domain.display import money
from accmgr.domain.document import number_text
from accmgr.domain.search import key_matches, query_words, search_key
from accmgr.errors import AccmgrError
from accmgr.screens.catalog_forms import (
    EditProductForm,
    ImportForm,
    ImportReportScreen,
    NewProductForm,
    PriceListCheck,
)
from accmgr.screens.deleting import ask_and_delete, delete_binding
from accmgr.screens.live import LiveScreen
from accmgr.services import catalog
from accmgr.services.catalog import ImportReport
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.section_bar import SectionBar
from accmgr.widgets.visible_text import shown

if TYPE_CHECKING:
    from accmgr.services.workspace import Workspace


@dataclass(frozen=True)
class ProductRow:
    product: Product
    price: str
    haystack: str


class ProductTable(DataTable[Text]):
    """The products; an inactive one is drawn in the ``-inactive`` component style."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"product-table--inactive"}
    DEFAULT_CSS = """
    ProductTable > .product-table--inactive { color: $text-disabled; text-style: italic; }
    """


class CatalogScreen(LiveScreen[list[Product]]):
    TITLE = "Catalog"
    CSS_PATH = "catalog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            id="catalog.filter",
            tooltip="Filter by code, name, unit or currency",
        ),
        delete_binding("catalog", "highlighted product"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="catalog.clear_filter",
            tooltip="Show every product again",
        ),
        Binding("n", "new", "New", id="catalog.new", tooltip="Add a product"),
        Binding("e", "edit", "Edit", id="catalog.edit", tooltip="Edit the highlighted product"),
        Binding(
            "x",
            "toggle_active",
            "(De)activate",
            id="catalog.toggle_active",
            tooltip="Deactivate the product (hidden from new offers) or reactivate it",
        ),
        Binding(
            "a",
            "toggle_inactive",
            "Inactive",
            id="catalog.show_inactive",
            tooltip="Show or hide the deactivated products",
        ),
        Binding(
            "i",
            "import",
            "Import CSV",
            id="catalog.import",
            tooltip="Import a price list from a CSV file (checked before writing)",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="catalog.reload",
            tooltip="Read the database again",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._products: list[Product] = []
        self._select_after: str | None = None
        self.show_inactive = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield SectionBar("catalog")
        yield Input(
            placeholder="/ to filter by code, name, unit or currency", id="filter", compact=True
        )
        yield Static("Loading…", id="status", markup=False)
        table = ProductTable(id="products", cursor_type="row", zebra_stripes=True)
        table.add_column("Code", key="code")
        table.add_column("Name", key="name")
        table.add_column("Unit", key="unit")
        table.add_column("Unit price", key="price")
        table.add_column("Tax %", key="tax")
        table.add_column("Active", key="active")
        yield table
        yield AppFooter()

    def on_mount(self) -> None:
        self.table.focus()

    @property
    def table(self) -> ProductTable:
        return self.query_one("#products", ProductTable)

    def read(self, workspace: Workspace) -> list[Product]:
        return catalog.list_products(workspace, include_inactive=True)

    def show(self, data: list[Product]) -> None:
        self._products = data
        self._show()

    def _rows(self) -> list[ProductRow]:
        locale = self.accmgr.workspace.locale
        words = query_words(self.query_one("#filter", Input).value)
        rows = []
        for p in self._products:
            if not p.active and not self.show_inactive:
                continue
            haystack = search_key(p.code, p.name, p.description, p.unit, p.currency)
            if not key_matches(words, haystack):
                continue
            price = money(p.unit_price, p.currency, locale, exact=True)
            rows.append(ProductRow(p, price, haystack))
        return rows

    def _show(self) -> None:
        table = self.table
        current = self._select_after or self.current_code
        self._select_after = None
        inactive = table.get_component_rich_style("product-table--inactive")
        rows = self._rows()
        # The name gives way so that the price stays on screen at 80 columns.
        name_width = max(16, self.size.width - 62)
        table.clear()
        for row in rows:
            p = row.product
            style = "" if p.active else inactive
            cells = (
                p.code,
                p.name if len(p.name) <= name_width else p.name[: name_width - 1] + "…",
                p.unit,
                row.price,
                number_text(p.tax_rate),
                "yes" if p.active else "no",
            )
            justify: tuple[JustifyMethod, ...] = ("left", "left", "left", "right", "right", "left")
            table.add_row(
                *(
                    Text(shown(c), style=style, justify=j)
                    for c, j in zip(cells, justify, strict=True)
                ),
                key=p.code,
            )
        if current is not None:
            for index, row in enumerate(rows):
                if row.product.code == current:
                    table.move_cursor(row=index)
                    break
        hidden = sum(1 for p in self._products if not p.active)
        total = len(self._products)
        text = f"{len(rows)} of {total} products"
        if hidden and not self.show_inactive:
            text += f" · {hidden} inactive hidden (a shows them)"
        if not total:
            text = "No products yet: n adds one, i imports a CSV price list."
        self.query_one("#status", Static).update(text)
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.ready:
            self._show()

    @property
    def current_code(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def _current(self) -> Product | None:
        code = self.current_code
        return next((p for p in self._products if p.code == code), None)

    def action_delete_record(self) -> None:
        product = self._current()
        if product is not None:
            ask_and_delete(self, product.id, lambda: self.load(force=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"edit", "toggle_active", "delete_record"}:
            return True if self._current() is not None else None
        return True

    # Filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.table.focus()

    def action_toggle_inactive(self) -> None:
        self.show_inactive = not self.show_inactive
        self._show()

    # Writes

    def action_new(self) -> None:
        form = NewProductForm(workspace=self.accmgr.workspace, lock=self.accmgr.store_lock)
        self.app.push_screen(form, lambda p: self._saved(p, "added"))

    @on(DataTable.RowSelected, "#products")
    def action_edit(self) -> None:
        product = self._current()
        if product is None:
            return
        form = EditProductForm(
            workspace=self.accmgr.workspace, lock=self.accmgr.store_lock, product=product
        )
        self.app.push_screen(form, lambda p: self._saved(p, "saved"))

    def _saved(self, product: Product | None, what: str) -> None:
        if product is None:
            return
        self.notify(f"{product.code} “{product.name}” {what}.", timeout=3)
        self._select_after = product.code
        self.load(force=True)

    def action_toggle_active(self) -> None:
        product = self._current()
        if product is not None:
            self._set_active(product.code, not product.active)

    @work(thread=True, group="catalog-write", description="Changing the product")
    def _set_active(self, code: str, active: bool) -> None:
        try:
            with self.accmgr.store_lock:
                product = catalog.set_active(self.accmgr.workspace, code, active)
        except AccmgrError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not changed", severity="warning"
            )
            return
        what = "reactivated" if active else "deactivated"
        if not active and not self.show_inactive:
            what += " (hidden: a shows inactive products)"
        self.app.call_from_thread(self._saved, product, what)

    def action_import(self) -> None:
        form = ImportForm(workspace=self.accmgr.workspace, lock=self.accmgr.store_lock)
        self.app.push_screen(form, self._checked)

    def _checked(self, checked: PriceListCheck | None) -> None:
        if checked is None:
            return
        report = ImportReportScreen(
            checked, workspace=self.accmgr.workspace, lock=self.accmgr.store_lock
        )
        self.app.push_screen(report, self._imported)

    def _imported(self, report: ImportReport | None) -> None:
        if report is None:
            return
        self.notify(report.summary(), title="Price list imported", timeout=6)
        self.load(force=True)
