"""The catalog's forms: a product (new or edit), and a CSV price list checked then imported.

Every field is checked as it changes, with the domain's own parsers (currency codes, amounts,
percentages), so the form refuses exactly what the service would. Importing is two steps:
the file is read and dry-run in a worker (nothing written), the per-row report is shown, and
only a confirmation writes — the same text that was checked, not the file read again.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from accmgr.domain.catalog import Product
from accmgr.domain.money import check_currency, parse_percent
from accmgr.errors import AccmgrError, ValidationError
from accmgr.services import catalog
from accmgr.services.catalog import ImportReport
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import Field, FormScreen
from accmgr.widgets.form_parts import intro
from accmgr.widgets.inputs import MoneyInput
from accmgr.widgets.visible_text import shown

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")


def _problem(check: Callable[[], object]) -> str | None:
    try:
        check()
    except ValidationError as exc:
        return exc.detail
    return None


class ProductForm(FormScreen[Product]):
    """The fields of a product; :class:`NewProductForm` and :class:`EditProductForm` save."""

    def __init__(
        self, *, workspace: Workspace, lock: threading.Lock, product: Product | None = None
    ) -> None:
        super().__init__(lock=lock)
        self.workspace = workspace
        self.product = product

    def compose_fields(self) -> ComposeResult:
        p = self.product
        currency = p.currency if p else self.workspace.settings.default_currency
        yield Field(
            "Code",
            Input(
                p.code if p else "",
                id="code",
                compact=True,
                placeholder="BOX-40",
                disabled=p is not None,
            ),
            required=True,
            check=self._code_problem,
            hint="unique; cannot change once saved" if p else "letters, digits and . _ / -",
        )
        yield Field(
            "Name",
            Input(shown(p.name) if p else "", id="name", compact=True),
            required=True,
            check=self._name_problem,
        )
        yield Field(
            "Description", Input(shown(p.description) if p else "", id="description", compact=True)
        )
        yield Field(
            "Unit",
            Input(shown(p.unit) if p else "pc", id="unit", compact=True),
            required=True,
            check=self._unit_problem,
            hint="pc, kg, h, m²…",
        )
        price = MoneyInput(
            str(p.unit_price) if p else "",
            id="unit_price",
            currency=currency,
            required=True,
            compact=True,
        )
        yield Field("Unit price", price, required=True, check=self._price_problem)
        yield Field(
            "Currency",
            Input(currency, id="currency", compact=True),
            required=True,
            check=self._currency_problem,
            hint="ISO 4217: EUR, PLN, HUF…",
        )
        yield Field(
            "Tax rate %",
            Input(str(p.tax_rate) if p else "", id="tax_rate", compact=True, placeholder="21"),
            required=True,
            check=self._tax_problem,
            hint="0 to 100",
        )

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def _code_problem(self) -> str | None:
        if _CODE.match(self._value("code")):
            return None
        return "expected 1–40 letters, digits or . _ / - starting with a letter or digit"

    def _name_problem(self) -> str | None:
        return "expected at most 300 characters" if len(self._value("name")) > 300 else None

    def _unit_problem(self) -> str | None:
        return "expected at most 20 characters" if len(self._value("unit")) > 20 else None

    def _price_problem(self) -> str | None:
        price = self.query_one("#unit_price", MoneyInput).parsed
        if price is not None and price <= 0:
            return f"expected a price above zero, got {price}"
        return None

    def _currency_problem(self) -> str | None:
        return _problem(lambda: check_currency(self._value("currency")))

    def _tax_problem(self) -> str | None:
        return _problem(lambda: parse_percent(self._value("tax_rate"), "tax rate"))

    @on(Input.Changed, "#currency")
    def _currency_changed(self) -> None:
        # The currency decides how many decimals the price may have (JPY none, BHD three).
        self.query_one("#unit_price", MoneyInput).set_currency(self._value("currency"))
        self.field("unit_price").show()

    def _fields(self) -> dict[str, object]:
        price = self.query_one("#unit_price", MoneyInput).parsed
        assert price is not None  # the form is valid when prepare runs
        return {
            "name": self._value("name"),
            "description": self._value("description"),
            "unit": self._value("unit"),
            "unit_price": price,
            "currency": check_currency(self._value("currency")),
            "tax_rate": parse_percent(self._value("tax_rate"), "tax_rate"),
        }


class NewProductForm(ProductForm):
    FORM_TITLE = "New product"

    def prepare(self) -> Callable[[], Product]:
        ws, code, fields = self.workspace, self._value("code"), self._fields()
        return lambda: catalog.add_product(
            ws,
            code,
            str(fields["name"]),
            unit_price=Decimal(str(fields["unit_price"])),
            currency=str(fields["currency"]),
            tax_rate=Decimal(str(fields["tax_rate"])),
            unit=str(fields["unit"]),
            description=str(fields["description"]),
        )


class EditProductForm(ProductForm):
    FORM_TITLE = "Edit product"

    def prepare(self) -> Callable[[], Product]:
        assert self.product is not None
        ws, code, fields = self.workspace, self.product.code, self._fields()
        return lambda: catalog.edit_product(ws, code, **fields)


# --- CSV price list --------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceListCheck:
    """A price list read and dry-run: what importing ``text`` would do."""

    path: Path
    text: str
    report: ImportReport


def check_price_list(ws: Workspace, path: Path) -> PriceListCheck:
    text = catalog.read_price_list_file(path)
    try:
        report = catalog.import_price_list(ws, text, dry_run=True)
    except ValidationError as exc:
        if exc.field != "header":
            raise
        raise ValidationError("path", f"the first row: {exc.detail}") from None
    return PriceListCheck(path, text, report)


class ImportForm(FormScreen[PriceListCheck]):
    FORM_TITLE = "Import a price list (CSV)"
    SAVE_LABEL = "Check the file"

    def __init__(self, *, workspace: Workspace, lock: threading.Lock) -> None:
        super().__init__(lock=lock)
        self.workspace = workspace

    def compose_intro(self) -> ComposeResult:
        yield intro(
            "Columns: code, name, unit, unit_price, currency, tax_rate (description and active "
            "optional), comma- or semicolon-separated, UTF-8. Nothing is written before you "
            "have seen the report."
        )

    def compose_fields(self) -> ComposeResult:
        yield Field(
            "File",
            Input(id="path", compact=True, placeholder="~/prices.csv"),
            required=True,
            check=self._path_problem,
        )

    def _path(self) -> Path:
        return Path(self.query_one("#path", Input).value.strip()).expanduser()

    def _path_problem(self) -> str | None:
        # Cheap checks only (a stat): the UTF-8 check reads the file, in the worker.
        path = self._path()
        if not path.exists():
            return "expected an existing file"
        if not path.is_file():
            return "expected a file, not a folder"
        if not os.access(path, os.R_OK):
            return "expected a file you may read"
        return None

    def prepare(self) -> Callable[[], PriceListCheck]:
        ws, path = self.workspace, self._path()
        return lambda: check_price_list(ws, path)


class ImportReportScreen(ModalScreen[ImportReport | None]):
    """The dry run's report, row by row; confirming imports the same text."""

    CSS_PATH = "catalog.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "import",
            "Import",
            id="catalog.import.confirm",
            tooltip="Write the rows that were not refused",
        ),
        Binding("escape", "cancel", "Cancel", id="catalog.import.cancel", tooltip="Import nothing"),
    ]

    def __init__(self, checked: PriceListCheck, *, workspace: Workspace, lock: threading.Lock):
        super().__init__()
        self.checked = checked
        self.workspace = workspace
        self.store_lock = lock

    @property
    def writable(self) -> int:
        report = self.checked.report
        return report.count("added") + report.count("updated")

    def compose(self) -> ComposeResult:
        report = self.checked.report
        with Vertical(id="import-report") as box:
            box.border_title = f"Price list {self.checked.path.name}"
            box.border_subtitle = "ctrl+s import · esc cancel"
            yield Static(self._summary(), id="import-summary", markup=False)
            table: DataTable[str] = DataTable(id="import-rows", cursor_type="row")
            table.add_columns("Row", "Code", "Result", "Column", "Why")
            for row in report.rows:
                what = ", ".join(row.changed) if row.action == "updated" else row.message
                # The file's text, shown escaped: a refused code may hold control characters.
                table.add_row(str(row.row), shown(row.code), row.action, row.field, shown(what))
            yield table
            # The highlighted row's reason in full: the table cuts long ones on narrow screens.
            yield Static("", id="import-detail", markup=False)
            with Horizontal(id="import-buttons"):
                yield Button("Cancel", id="import-cancel")
                yield Button(
                    f"Import {self.writable} row{'s' if self.writable != 1 else ''}",
                    id="import-confirm",
                    variant="primary",
                    disabled=self.writable == 0,
                )

    def _summary(self) -> str:
        report = self.checked.report
        refused = report.count("refused")
        return (
            f"{self.writable} of {len(report.rows)} rows would be imported "
            f"({report.count('added')} new, {report.count('updated')} changed, "
            f"{report.count('unchanged')} unchanged); {refused} refused"
            + (" — those rows are left out, the others can be imported." if refused else ".")
        )

    @on(DataTable.RowHighlighted, "#import-rows")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.checked.report.rows[event.cursor_row]
        self.query_one("#import-detail", Static).update(shown(row.describe()))

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import-confirm")
    def action_import(self) -> None:
        if self.writable == 0:
            self.notify("Nothing to import: every row is refused or unchanged.", timeout=4)
            return
        self.query_one("#import-confirm", Button).disabled = True
        self._import()

    @work(thread=True, exclusive=True, group="catalog-import", description="Importing prices")
    def _import(self) -> None:
        try:
            with self.store_lock:
                report = catalog.import_price_list(self.workspace, self.checked.text)
        except AccmgrError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Not imported", severity="error")
            return
        self.app.call_from_thread(self.dismiss, report)
