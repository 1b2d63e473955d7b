"""The clients list: filter, sort, filters, warnings, a new client with the duplicate warning,
a merge from the TUI, and the list's snapshot."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select
from textual.widgets.data_table import ColumnKey

from accmgr.app import AccmgrApp
from accmgr.domain.client import Client, FlagCategory
from accmgr.screens.client import ClientScreen
from accmgr.screens.client_forms import ClientPicker, DuplicateWarning, MergeForm, NewClientForm
from accmgr.screens.clients import ClientsScreen
from accmgr.services import clients, reliability
from accmgr.services.workspace import Workspace
from tests.tui.client_fixtures import client_db
from tests.tui.shell_fixtures import config_dir
from tests.tui.shell_fixtures import wait_for as _wait_for

__all__ = ["client_db", "config_dir"]
SIZE = (120, 40)


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    await _wait_for(condition, timeout)


async def ready(app: AccmgrApp) -> ClientsScreen:
    await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
    screen = app.screen
    assert isinstance(screen, ClientsScreen)
    return screen


def names(screen: ClientsScreen) -> list[str]:
    return [row.name for row in screen.shown]


async def test_filter_sort_and_filters(client_db: Workspace) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app)
        assert names(screen) == ["Adria Foods", "Kauno Baldai UAB", "Lisboa Têxteis Lda"]
        assert screen.table.row_count == 3
        # Warnings: an open red flag, an overdue invoice, a serious complaint.
        [kauno] = [r for r in screen.shown if r.id == "C-0001"]
        assert kauno.warnings[0].startswith("open red flag (late payments)")
        assert [r.id for r in screen.shown if r.warnings] == ["C-0001"]

        await pilot.press("slash", *"lt100")  # the tax id
        await wait_for(lambda: names(screen) == ["Kauno Baldai UAB"])
        await pilot.press("escape")
        await wait_for(lambda: len(screen.shown) == 3)
        await pilot.press("slash", *"fair")  # a tag
        await wait_for(lambda: names(screen) == ["Kauno Baldai UAB"])
        await pilot.press("escape")

        await pilot.press("s")  # tier: key clients first
        assert screen.sort.name == "tier" and names(screen)[0] == "Kauno Baldai UAB"
        assert "Tier ▲" in str(screen.table.columns[ColumnKey("tier")].label)
        await pilot.press("s")  # last contact, most recent first
        assert names(screen) == ["Kauno Baldai UAB", "Lisboa Têxteis Lda", "Adria Foods"]
        assert "Last contact ▼" in str(screen.table.columns[ColumnKey("last")].label)
        await pilot.press("s")  # open deal value, biggest first
        assert names(screen) == ["Kauno Baldai UAB", "Lisboa Têxteis Lda", "Adria Foods"]
        assert "sorted by open deal value" in str(screen.query_one("#status").render())
        await pilot.press("s")
        assert screen.sort.name == "name"
        table = screen.table
        before_tier = [c.key.value for c in table.ordered_columns].index("tier")
        tier_x = sum(c.get_render_width(table) for c in table.ordered_columns[:before_tier]) + 1
        await pilot.click("#clients", offset=(tier_x, 0))  # the Tier header
        assert screen.sort.name == "tier"

        screen.query_one("#country", Select).value = "PT"
        await wait_for(lambda: names(screen) == ["Lisboa Têxteis Lda"])
        screen.query_one("#country", Select).value = Select.NULL
        screen.query_one("#segment", Select).value = "Food"
        await wait_for(lambda: names(screen) == ["Adria Foods"])
        screen.query_one("#segment", Select).value = Select.NULL
        screen.query_one("#tier", Select).value = "key"
        await wait_for(lambda: names(screen) == ["Kauno Baldai UAB"])


async def test_changes_from_elsewhere_appear_and_enter_opens_the_client(
    client_db: Workspace,
) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app)
        with app.store_lock:
            clients.add_client(client_db, "Zemaitijos Pienas", country="LT")
        await wait_for(lambda: "Zemaitijos Pienas" in names(screen))
        # A red flag raised by the CLI shows as a warning in the list.
        with app.store_lock:
            reliability.add_flag(client_db, "C-0002", FlagCategory.OTHER, "x")
        await wait_for(lambda: any(r.id == "C-0002" and r.warnings for r in screen.shown))
        screen.table.focus()
        screen.select("C-0002")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientScreen))
        assert app.screen.client_id == "C-0002"  # type: ignore[attr-defined]


async def _type(pilot: Pilot[Any], form: NewClientForm, widget_id: str, text: str) -> None:
    form.query_one(f"#{widget_id}", Input).focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_new_client_warns_about_duplicates(client_db: Workspace) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewClientForm))
        form = app.screen
        assert isinstance(form, NewClientForm)
        await _type(pilot, form, "name", "Kauno baldai")
        await _type(pilot, form, "country", "XX")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # A bad country is named beside its field; nothing is written.
        assert form.field("country").has_class("-invalid")
        assert "country code" in str(form.field("country").query_one(".field-message").render())
        assert len(clients.list_clients(client_db)) == 3
        form.query_one("#country", Input).value = "LT"
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, DuplicateWarning))
        warning = app.screen
        assert isinstance(warning, DuplicateWarning)
        assert [d.client.id for d in warning.found] == ["C-0001"]
        assert "same name" in warning.found[0].reasons
        await pilot.press("escape")  # cancel: back to the form, nothing saved
        await wait_for(lambda: app.screen is form)
        assert len(clients.list_clients(client_db)) == 3
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, DuplicateWarning))
        await pilot.press("s")  # save anyway
        await wait_for(lambda: app.screen is screen)
        created = [c for c in clients.list_clients(client_db) if c.id == "C-0004"]
        assert [(c.name, c.country) for c in created] == [("Kauno baldai", "LT")]
        await wait_for(lambda: screen.current is not None and screen.current.id == "C-0004")


async def test_merge_from_the_list_keeps_every_record(client_db: Workspace) -> None:
    ws = client_db
    before = {
        table: sorted(d["id"] for d in ws.store.all(table))
        for table in ("contacts", "deals", "activities", "documents", "complaints")
    }
    payments = len(clients.get_client(ws, "C-0001").reliability.payments)
    reliability.add_payment(ws, "C-0002", invoice="P-1", amount=Decimal(5),
                            due=ws.today())  # fmt: skip
    app = AccmgrApp(ws, "clients")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app)
        screen.select("C-0001")
        await pilot.press("M")
        await wait_for(lambda: isinstance(app.screen, ClientPicker))
        await pilot.press(*"lisb")
        picker = app.screen
        assert isinstance(picker, ClientPicker)
        await wait_for(lambda: [c.id for c in picker.shown] == ["C-0002"])
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, MergeForm))
        form = app.screen
        assert isinstance(form, MergeForm)
        assert form.preview.describe() == "1 deals, 1 activities, 1 payments"
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.screen is screen)
        await wait_for(lambda: "Lisboa Têxteis Lda" not in names(screen))
    after = {table: sorted(d["id"] for d in ws.store.all(table)) for table in before}
    assert after == before  # nothing lost, nothing added
    assert {d["client_id"] for d in ws.store.all("deals")} == {"C-0001"}
    kept: Client = clients.get_client(ws, "C-0001")
    assert len(kept.reliability.payments) == payments + 1
    assert [m.id for m in kept.merged_from] == ["C-0002"]
    assert "Merged C-0002" in kept.notes[-1].text


def test_snapshot_of_the_list(client_db: Workspace, snap_compare: Any) -> None:
    async def shown(pilot: Pilot[int]) -> None:
        await ready(pilot.app)  # type: ignore[arg-type]
        await pilot.pause()

    assert snap_compare(AccmgrApp(client_db, "clients"), terminal_size=SIZE, run_before=shown)


async def test_f4_opens_the_clients_section(client_db: Workspace) -> None:
    app = AccmgrApp(client_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        assert app.current_mode == "clients"
        await ready(app)


def test_value_sort_never_compares_two_currencies() -> None:
    from datetime import date as _date

    from accmgr.screens.clients import SORTS
    from accmgr.services.clients import ClientRow

    def row(name: str, *values: tuple[str, int]) -> ClientRow:
        return ClientRow(
            id=f"C-{len(name):04d}", name=name, legal_name="", tax_id="", segment="",
            tier="regular", country="", owner="", tags=(), currency="EUR",
            last_contact=_date(2026, 11, 1), open_deals=len(values),
            open_value=tuple((c, Decimal(v)) for c, v in values), warnings=(),
        )  # fmt: skip

    rows = [
        row("Rub", ("RUB", 9_000_000)),
        row("Small", ("EUR", 10)),
        row("None"),
        row("Huf", ("HUF", 50_000)),
        row("Big euro", ("EUR", 5_000), ("PLN", 1)),
    ]
    by_value = next(s for s in SORTS if s.column == "value")
    ordered = sorted(rows, key=lambda r: by_value.key(r, "EUR"))
    assert [r.name for r in ordered] == ["Big euro", "Small", "Huf", "Rub", "None"]


async def test_the_warning_column_is_on_screen_and_readable_at_80_and_120(
    client_db: Workspace,
) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.3)
            table = screen.table
            keys = [column.key.value for column in table.ordered_columns]
            # What matters first: who, how much is open, how recent, what to watch out for.
            assert keys[:5] == ["mark", "name", "value", "last", "warning"]
            before = sum(c.get_render_width(table) for c in table.ordered_columns[:4])
            warning = table.columns[ColumnKey("warning")]
            assert warning.width >= 16
            assert before + warning.get_render_width(table) <= table.scrollable_content_region.width
            cell = str(table.get_cell("C-0001", "warning"))
            assert cell.startswith("open red flag") and len(cell) <= warning.width
