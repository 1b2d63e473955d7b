"""Every main screen on a database whose text holds terminal-driving characters.

The records were rewritten through the store (as a hand edit or old data leaves them): what
each screen paints must hold none of those characters raw, and shows them as escapes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from accmgr.app import AccmgrApp
from accmgr.screens.brief import BriefScreen
from accmgr.screens.catalog import CatalogScreen
from accmgr.screens.catalog_forms import (
    EditProductForm,
    ImportForm,
    ImportReportScreen,
    NewProductForm,
)
from accmgr.screens.client import ClientScreen
from accmgr.screens.client_forms import NewClientForm
from accmgr.screens.client_tabs import TABS as CLIENT_TABS
from accmgr.screens.deal import DealScreen
from accmgr.screens.deal_tabs import TABS as DEAL_TABS
from accmgr.screens.document import DocumentScreen
from accmgr.services import catalog, clients
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.form import FormScreen
from tests.conftest import frozen_now
from tests.hostile_records import RAW, fill_hostile
from tests.tui.shell_fixtures import config_dir, filled, wait_for

__all__ = ["config_dir", "filled"]
SIZE = (160, 45)
ESCAPED = "\\x1b]0;pwned\\x07"  # BEL too: Rich alone would drop it unseen


@pytest.fixture
def hostile_ws(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    fill_hostile(tmp_path / "db")
    store = open_store(tmp_path / "db")
    try:
        yield Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    finally:
        store.close()


def painted(app: AccmgrApp) -> str:
    """The text of every cell the screen paints, as the terminal receives it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def assert_safe(app: AccmgrApp, *, escaped: bool = True, shown: str = ESCAPED) -> None:
    text = painted(app)
    assert RAW.findall(text) == [], text
    assert RAW.findall(app.export_screenshot()) == []
    if escaped:
        assert shown in text, text


async def _settle(pilot: Pilot[Any], ready: Callable[[], object]) -> None:
    await wait_for(ready, 15.0)
    await pilot.pause()
    await pilot.pause()


def _section(key: str, name: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def go(pilot: Pilot[Any]) -> None:
        await pilot.press(key)
        await _settle(pilot, lambda: pilot.app.current_mode == name)
        await pilot.pause(0.3)

    return go


async def _client(pilot: Pilot[Any], tab: str = "overview") -> None:
    screen = ClientScreen("C-0001")
    await pilot.app.push_screen(screen)
    await _settle(pilot, lambda: screen.view is not None and bool(screen.query("#client-tabs")))
    from textual.widgets import TabbedContent

    screen.query_one(TabbedContent).active = f"tab-{tab}"
    await _settle(pilot, lambda: bool(screen.query(f"#view-{tab}")))


async def _deal(pilot: Pilot[Any], tab: str) -> None:
    screen = DealScreen("D-0001")
    await pilot.app.push_screen(screen)
    await _settle(pilot, lambda: screen.view is not None and bool(screen.query("#deal-tabs")))
    from textual.widgets import TabbedContent

    screen.query_one(TabbedContent).active = f"tab-{tab}"
    await _settle(pilot, lambda: bool(screen.query(f"#view-{tab}")))


async def _document(pilot: Pilot[Any]) -> None:
    screen = DocumentScreen("DOC-0002")
    await pilot.app.push_screen(screen)
    await _settle(pilot, lambda: screen.detail is not None)


async def _brief(pilot: Pilot[Any]) -> None:
    screen = BriefScreen("A-0005")  # the meeting today
    await pilot.app.push_screen(screen)
    await _settle(pilot, lambda: screen.brief is not None)


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "today": _section("f2", "today"),
    "pipeline": _section("f3", "pipeline"),
    "clients": _section("f4", "clients"),
    "catalog": _section("f5", "catalog"),
    "documents": _section("f6", "documents"),
    **{f"client-{tab}": (lambda t: lambda p: _client(p, t))(tab) for tab in CLIENT_TABS},
    **{f"deal-{tab}": (lambda t: lambda p: _deal(p, t))(tab) for tab in DEAL_TABS},
    "document": _document,
    "brief": _brief,
}


@pytest.mark.parametrize("name", list(SCREENS))
async def test_screens_show_control_characters_as_escapes(hostile_ws: Workspace, name: str) -> None:
    app = AccmgrApp(hostile_ws, "settings")
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS[name](pilot)
        # A board card cuts a long name to its column (…): the escape starts visibly there.
        assert_safe(app, shown="\\x1b" if name == "pipeline" else ESCAPED)


async def test_the_palette_shows_names_escaped(hostile_ws: Workspace) -> None:
    app = AccmgrApp(hostile_ws, "settings")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"Kauno")
        await _settle(pilot, lambda: "Kauno Baldai UAB · C-0001" in painted(app))
        assert_safe(app)


async def test_a_notification_naming_the_record_is_escaped(hostile_ws: Workspace) -> None:
    app = AccmgrApp(hostile_ws, "catalog")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await pilot.press("x")  # deactivate: the notification names the product
        await wait_for(lambda: any("deactivated" in n.message for n in app._notifications))
        [note] = [n.message for n in app._notifications if "deactivated" in n.message]
        assert RAW.findall(note) == [] and ESCAPED in note


# --- input: the app's forms refuse such text beside the field, and write nothing ------------


async def _form_refuses(
    app: AccmgrApp, pilot: Pilot[Any], form_type: type[Any], values: dict[str, str], field: str
) -> str:
    await wait_for(lambda: isinstance(app.screen, form_type))
    form = app.screen
    assert isinstance(form, FormScreen)
    for widget_id, value in values.items():
        form.query_one(f"#{widget_id}", Input).value = value  # as a paste would put it
    await pilot.press("ctrl+s")
    await wait_for(lambda: form.field(field).has_class("-invalid"))
    message = str(form.field(field).query_one(".field-message").render())
    assert RAW.findall(painted(app)) == []
    return message


async def test_new_client_form_refuses_control_characters(filled: Workspace) -> None:
    app = AccmgrApp(filled, "clients")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await pilot.press("n")
        message = await _form_refuses(
            app, pilot, NewClientForm, {"name": "Evil\x1b]0;pwned\x07"}, "name"
        )
        assert "control character (U+001B) at position 5; remove it" in message
        assert [c.name for c in clients.list_clients(filled)] == [
            "Kauno Baldai UAB",
            "Lisboa Têxteis Lda",
        ]


async def test_new_product_form_refuses_a_direction_override(filled: Workspace) -> None:
    app = AccmgrApp(filled, "catalog")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await pilot.press("n")
        values = {"code": "BOX-1", "name": "Box \u202e0001", "unit_price": "10",
                  "currency": "EUR", "tax_rate": "21"}  # fmt: skip
        message = await _form_refuses(app, pilot, NewProductForm, values, "name")
        assert "text-direction control (U+202E) at position 5; remove it" in message
        assert catalog.list_products(filled, include_inactive=True) == []


async def test_edit_form_shows_stored_control_characters_escaped(hostile_ws: Workspace) -> None:
    app = AccmgrApp(hostile_ws, "catalog")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await pilot.press("e")
        await wait_for(lambda: isinstance(app.screen, EditProductForm))
        value = app.screen.query_one("#name", Input).value
        assert value.startswith("\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202e")
        assert RAW.findall(painted(app)) == []


async def test_price_list_import_in_the_app_refuses_the_row(
    filled: Workspace, tmp_path: Path
) -> None:
    sheet = tmp_path / "prices.csv"
    sheet.write_text(
        "code,name,unit,unit_price,currency,tax_rate\n"
        "BOX-1,Box,pc,10,EUR,23\n"
        "BOX-2,Evil\x1b]0;pwned\x07,pc,10,EUR,23\n"
        "\x1b[2JBOX-3,Crate,pc,10,EUR,23\n",
        encoding="utf-8",
    )
    app = AccmgrApp(filled, "catalog")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await pilot.press("i")
        await wait_for(lambda: isinstance(app.screen, ImportForm))
        app.screen.query_one("#path", Input).value = str(sheet)
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ImportReportScreen))
        await pilot.pause()
        table = app.screen.query_one("#import-rows", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        refused = {row[0]: row for row in rows if row[2] == "refused"}
        assert refused["3"][3] == "name" and "(U+001B) at position 5" in refused["3"][4]
        assert refused["4"][1] == "\\x1b[2JBOX-3"
        assert RAW.findall(painted(app)) == []
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CatalogScreen))
    assert [p.code for p in catalog.list_products(filled)] == ["BOX-1"]
