"""The Catalog section driven by keys: the list and its filters, the product forms (refusing
bad values beside the field), (de)activation and the CSV price list — asserting on the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from accmgr.app import AccmgrApp
from accmgr.screens.catalog import CatalogScreen
from accmgr.screens.catalog_forms import (
    EditProductForm,
    ImportForm,
    ImportReportScreen,
    NewProductForm,
)
from accmgr.services import catalog
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.form import FormScreen
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir
from tests.tui.shell_fixtures import wait_for as _wait_for

__all__ = ["config_dir"]

SIZE = (120, 40)


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Generous: under ``pytest -n`` a loaded machine draws slowly."""
    await _wait_for(condition, timeout)


@pytest.fixture
def shop(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """Three products, one of them deactivated."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now)
    catalog.add_product(
        ws,
        "CHAIR-1",
        "Office chair",
        unit_price=Decimal("180"),
        currency="EUR",
        tax_rate=Decimal(21),
    )
    catalog.add_product(
        ws,
        "DESK-2",
        "Standing desk",
        unit_price=Decimal("1234.5"),
        currency="EUR",
        tax_rate=Decimal(21),
    )
    catalog.add_product(
        ws,
        "LAMP-3",
        "Desk lamp",
        unit_price=Decimal("4500"),
        currency="HUF",
        tax_rate=Decimal(27),
        unit="pc",
    )
    catalog.set_active(ws, "LAMP-3", False)
    try:
        yield ws
    finally:
        store.close()


async def open_catalog(app: AccmgrApp, pilot: Pilot[Any]) -> CatalogScreen:
    await pilot.press("f5")
    await wait_for(lambda: isinstance(app.screen, CatalogScreen) and app.screen.ready)
    screen = app.screen
    assert isinstance(screen, CatalogScreen)
    return screen


def codes(screen: CatalogScreen) -> list[str]:
    table = screen.query_one("#products", DataTable)
    return [str(row.value) for row in table.rows]


def message(form: FormScreen[Any], key: str) -> str:
    field = form.field(key)
    return str(field.query_one(".field-message", Static).content)


async def fill(pilot: Pilot[Any], form: FormScreen[Any], values: dict[str, str]) -> None:
    for key, value in values.items():
        form.query_one(f"#{key}", Input).value = value
    await pilot.pause()


async def test_list_filter_and_inactive_toggle(shop: Workspace) -> None:
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        assert codes(screen) == ["CHAIR-1", "DESK-2"]
        assert "1 inactive hidden" in str(screen.query_one("#status", Static).content)
        await pilot.press("a")
        assert codes(screen) == ["CHAIR-1", "DESK-2", "LAMP-3"]
        await pilot.press("slash", *"desk")
        await pilot.pause()
        # "desk" is in DESK-2's code and in "Desk lamp"'s name.
        assert codes(screen) == ["DESK-2", "LAMP-3"]
        await pilot.press("escape")
        await pilot.pause()
        assert codes(screen) == ["CHAIR-1", "DESK-2", "LAMP-3"]
        # The price is written the way the user's locale writes money.
        table = screen.query_one("#products", DataTable)
        assert str(table.get_cell("DESK-2", "price")) == "€1,234.50"


async def test_new_product_refuses_bad_fields_then_saves(shop: Workspace) -> None:
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        await open_catalog(app, pilot)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewProductForm))
        form = app.screen
        assert isinstance(form, NewProductForm)
        await fill(
            pilot,
            form,
            {
                "code": "bad code!",
                "name": "Chair mat",
                "unit_price": "0",
                "currency": "EURO",
                "tax_rate": "150",
            },
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "letters, digits" in message(form, "code")
        assert "above zero" in message(form, "unit_price")
        assert "ISO 4217" in message(form, "currency")
        assert "0 to 100" in message(form, "tax_rate")
        assert "4 fields to correct" in str(form.query_one("#form-error", Static).content)
        assert catalog.find_product(shop.store, "bad code!") is None
        await fill(
            pilot,
            form,
            {"code": "MAT-4", "unit_price": "25.5", "currency": "eur", "tax_rate": "21"},
        )
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CatalogScreen))
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await wait_for(lambda: "MAT-4" in codes(screen))
    product = catalog.get_product(shop, "MAT-4")
    assert (product.name, product.unit_price, product.currency, product.tax_rate) == (
        "Chair mat",
        Decimal("25.5"),
        "EUR",
        Decimal(21),
    )


async def test_a_taken_code_is_refused_and_nothing_is_saved(shop: Workspace) -> None:
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        await open_catalog(app, pilot)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewProductForm))
        form = app.screen
        assert isinstance(form, NewProductForm)
        await fill(
            pilot,
            form,
            {"code": "chair-1", "name": "Another", "unit_price": "10", "tax_rate": "21"},
        )
        await pilot.press("ctrl+s")
        await wait_for(lambda: "already used" in str(form.query_one("#form-error").render()))
        assert isinstance(app.screen, NewProductForm)
    assert len(catalog.list_products(shop, include_inactive=True)) == 3


async def test_edit_and_deactivate(shop: Workspace) -> None:
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        screen.query_one("#products", DataTable).move_cursor(row=1)
        await pilot.press("e")
        await wait_for(lambda: isinstance(app.screen, EditProductForm))
        form = app.screen
        assert isinstance(form, EditProductForm)
        assert form.query_one("#code", Input).disabled
        await fill(pilot, form, {"unit_price": "999.99", "unit": "set"})
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CatalogScreen))
        await wait_for(lambda: catalog.get_product(shop, "DESK-2").unit == "set")
        assert catalog.get_product(shop, "DESK-2").unit_price == Decimal("999.99")
        # Deactivate the highlighted product: hidden until "a" shows inactive ones again.
        await wait_for(lambda: screen.current_code == "DESK-2")
        await pilot.press("x")
        await wait_for(lambda: codes(screen) == ["CHAIR-1"])
        assert catalog.get_product(shop, "DESK-2").active is False
        await pilot.press("a")
        screen.query_one("#products", DataTable).move_cursor(row=1)
        await pilot.press("x")
        await wait_for(lambda: catalog.get_product(shop, "DESK-2").active)


async def test_changes_made_elsewhere_appear(shop: Workspace) -> None:
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalog(app, pilot)
        catalog.add_product(
            shop, "BIN-9", "Waste bin", unit_price=Decimal(12), currency="EUR", tax_rate=Decimal(21)
        )
        await wait_for(lambda: "BIN-9" in codes(screen))


PRICE_LIST = (
    "code,name,unit,unit_price,currency,tax_rate\n"
    "CHAIR-1,Office chair,pc,175,EUR,21\n"  # row 2: a new price
    "SOFA-7,Lounge sofa,pc,2100,EUR,21\n"  # row 3: new
    "TBL-8,Meeting table,pc,12.3456,EUR,21\n"  # row 4: four decimals for EUR
    "RUG-9,Rug,pc,80,EURO,21\n"  # row 5: no such currency
)


async def start_import(app: AccmgrApp, pilot: Pilot[Any], path: Path) -> ImportForm:
    await open_catalog(app, pilot)
    await pilot.press("i")
    await wait_for(lambda: isinstance(app.screen, ImportForm))
    form = app.screen
    assert isinstance(form, ImportForm)
    await fill(pilot, form, {"path": str(path)})
    return form


async def test_import_shows_refused_rows_then_imports_the_rest(
    shop: Workspace, tmp_path: Path
) -> None:
    csv = tmp_path / "prices.csv"
    csv.write_text(PRICE_LIST, encoding="utf-8")
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        await start_import(app, pilot, csv)
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ImportReportScreen))
        report = app.screen
        assert isinstance(report, ImportReportScreen)
        summary = str(report.query_one("#import-summary", Static).content)
        assert summary.startswith("2 of 4 rows would be imported (1 new, 1 changed")
        assert "2 refused" in summary
        table = report.query_one("#import-rows", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[2][:4] == ["4", "TBL-8", "refused", "unit_price"]
        assert "decimal place" in rows[2][4]
        assert rows[3][:4] == ["5", "RUG-9", "refused", "currency"]
        # The dry run wrote nothing.
        assert catalog.find_product(shop.store, "SOFA-7") is None
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CatalogScreen))
        screen = app.screen
        assert isinstance(screen, CatalogScreen)
        await wait_for(lambda: "SOFA-7" in codes(screen))
    assert catalog.get_product(shop, "CHAIR-1").unit_price == Decimal(175)
    assert catalog.find_product(shop.store, "TBL-8") is None
    assert catalog.find_product(shop.store, "RUG-9") is None


async def test_import_file_problems_beside_the_field(shop: Workspace, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(
        "code,name,unit,unit_price,currency,tax_rate\nX-1,Caf\xe9,pc,1,EUR,0\n".encode("latin-1")
    )
    wrong_header = tmp_path / "header.csv"
    wrong_header.write_text("sku,title\nX-1,Thing\n", encoding="utf-8")
    app = AccmgrApp(shop)
    async with app.run_test(size=SIZE) as pilot:
        form = await start_import(app, pilot, tmp_path / "missing.csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(form, "path") == "expected an existing file"
        await fill(pilot, form, {"path": str(latin1)})
        await pilot.press("ctrl+s")
        await wait_for(lambda: "UTF-8" in message(form, "path"))
        await fill(pilot, form, {"path": str(wrong_header)})
        await pilot.press("ctrl+s")
        await wait_for(lambda: "the first row: expected the columns" in message(form, "path"))
        assert isinstance(app.screen, ImportForm)
    assert len(catalog.list_products(shop, include_inactive=True)) == 3


# --- snapshots (120x40, fixed data) -------------------------------------------------------------


def test_snapshot_catalog_list(shop: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        screen = await open_catalog(app, pilot)
        await pilot.press("a")
        await wait_for(lambda: "3 of 3 products" in str(screen.query_one("#status").render()))
        # The footer redraws after the bindings' state changed: let it settle.
        await pilot.pause(0.2)

    assert snap_compare(AccmgrApp(shop), terminal_size=SIZE, run_before=run_before)


def test_snapshot_product_form_with_errors(shop: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        await open_catalog(app, pilot)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewProductForm))
        form = app.screen
        assert isinstance(form, NewProductForm)
        await fill(
            pilot,
            form,
            {"code": "bad code!", "unit_price": "-3", "currency": "XYZ", "tax_rate": "101"},
        )
        await pilot.press("ctrl+s")
        await wait_for(lambda: "fields to correct" in str(form.query_one("#form-error").render()))

    assert snap_compare(AccmgrApp(shop), terminal_size=SIZE, run_before=run_before)


def test_snapshot_import_report(shop: Workspace, tmp_path: Path, snap_compare: Any) -> None:
    csv = tmp_path / "prices.csv"
    csv.write_text(PRICE_LIST, encoding="utf-8")

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        await start_import(app, pilot, csv)
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ImportReportScreen))
        await pilot.pause()

    assert snap_compare(AccmgrApp(shop), terminal_size=SIZE, run_before=run_before)
