"""ctrl+z in the app: the session's own changes undone one by one, said in a notification,
asserting on the store."""

from __future__ import annotations

from textual.widgets import DataTable

from accmgr.app import AccmgrApp
from accmgr.domain.stages import Stage
from accmgr.screens.clients import ClientsScreen
from accmgr.screens.settings import ConfirmScreen
from accmgr.services import deals, trash
from accmgr.services.workspace import Workspace
from tests.tui.client_fixtures import client_db
from tests.tui.shell_fixtures import wait_for
from tests.tui.test_board import board, config_dir, highlight, ids, ready
from tests.tui.test_client_screen import open_client
from tests.tui.test_client_screen import show_tab as show_client_tab
from tests.tui.test_deal import open_deal, show_tab

__all__ = ["board", "client_db", "config_dir"]


def messages(app: AccmgrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_ctrl_z_undoes_a_move_then_says_nothing_is_left(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0001")
        await pilot.press("m")
        await wait_for(lambda: ids(app, Stage.CALL) == ["D-0001"])
        await pilot.press("ctrl+z")
        await wait_for(lambda: any(m.startswith("Undid: deal D-0001") for m in messages(app)))
        assert deals.get_deal(board, "D-0001").stage == Stage.PROSPECTING
        await wait_for(lambda: ids(app, Stage.PROSPECTING) == ["D-0001", "D-0002"])
        # What was there before the app was opened is not this session's to undo.
        await pilot.press("ctrl+z")
        await wait_for(lambda: "Nothing to undo since the app was opened" in messages(app))
        assert deals.get_deal(board, "D-0001").stage == Stage.PROSPECTING
        assert [d.id for d in deals.list_deals(board)] == ["D-0001", "D-0002", "D-0003"]


async def test_ctrl_z_refuses_when_the_record_changed_elsewhere(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0001")
        await pilot.press("m")
        await wait_for(lambda: ids(app, Stage.CALL) == ["D-0001"])
        board.store.author.origin = "cli"  # the command line moves it on meanwhile
        deals.move_deal(board, "D-0001", Stage.MEETING, reason="booked by phone")
        board.store.author.origin = app.undo_origin
        await pilot.press("ctrl+z")
        await wait_for(lambda: any("was changed since" in m for m in messages(app)))
        assert deals.get_deal(board, "D-0001").stage == Stage.MEETING


def cells(table: DataTable[object]) -> list[str]:
    return [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]


async def test_the_deal_history_tab_lists_the_change_and_its_undo(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        deals.move_deal(board, "D-0001", Stage.CALL)  # with the app's workspace, as a key does
        screen = await open_deal(app, pilot)
        await show_tab(screen, pilot, "history")
        changes = screen.query_one("#changes", DataTable)
        await wait_for(lambda: "'prospecting'" in cells(changes))
        assert "'call'" in cells(changes) and "Ana Ferreira" in cells(changes)
        await pilot.press("ctrl+z")
        await wait_for(lambda: "deal D-0001 (undone)" in cells(changes))
        assert deals.get_deal(board, "D-0001").stage == Stage.PROSPECTING


async def test_the_client_history_tab_lists_its_records_changes(client_db: Workspace) -> None:
    app = AccmgrApp(client_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_client(app, pilot)
        await show_client_tab(screen, pilot, "history")
        shown = cells(screen.query_one("#history", DataTable))
        assert "created client C-0001" in shown and "complaint K-0002" in shown


async def test_delete_on_the_board_asks_then_ctrl_z_brings_the_deal_back(
    board: Workspace,
) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0001")
        await pilot.press("delete")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        assert "Delete deal D-0001 'Office chairs'?" in app.screen.question
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert board.store.get("deals", "D-0001") is not None
        highlight(screen, Stage.PROSPECTING, "D-0001")
        await pilot.press("delete")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(lambda: "Deleted D-0001 — ctrl+z to undo" in messages(app))
        assert board.store.get("deals", "D-0001") is None
        assert [i.record_id for i in trash.trash_list(board)] == ["D-0001"]
        await wait_for(lambda: ids(app, Stage.PROSPECTING) == ["D-0002"])
        await pilot.press("ctrl+z")
        await wait_for(
            lambda: any(m.startswith("Undid: deleted deal D-0001") for m in messages(app))
        )
        assert deals.get_deal(board, "D-0001").title == "Office chairs"
        assert trash.trash_list(board) == []


async def test_deleting_a_client_says_what_goes_with_it(client_db: Workspace) -> None:
    app = AccmgrApp(client_db, "clients")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ClientsScreen) and app.screen.ready)
        listing = app.screen
        assert isinstance(listing, ClientsScreen)

        async def press_delete_on(client_id: str) -> None:
            row = next(i for i, r in enumerate(listing.shown) if r.id == client_id)
            listing.table.move_cursor(row=row)
            listing.table.focus()
            await pilot.press("delete")

        # C-0001 holds an issued offer: refused, said, nothing deleted.
        await press_delete_on("C-0001")
        await wait_for(lambda: any("OFR-2026-0001" in m for m in messages(app)))
        assert any("never deleted" in m for m in messages(app))
        assert client_db.store.get("clients", "C-0001") is not None
        await press_delete_on("C-0002")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.question
        assert "Delete client C-0002 'Lisboa Têxteis Lda' with 1 deal and 1 activity?" in question
        await pilot.press("y")
        await wait_for(lambda: "Deleted C-0002 — ctrl+z to undo" in messages(app))
        assert client_db.store.get("clients", "C-0002") is None
        assert client_db.store.find("deals", client_id="C-0002") == []
        await wait_for(lambda: "C-0002" not in [r.id for r in listing.shown])


async def test_delete_on_the_client_screen_contact_and_issued_document(
    client_db: Workspace,
) -> None:
    app = AccmgrApp(client_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_client(app, pilot)
        await show_client_tab(screen, pilot, "contacts")
        contact = screen.view.contacts[0] if screen.view else None
        assert contact is not None
        await pilot.press("delete")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        assert f"Delete contact {contact.id} '{contact.name}'?" in app.screen.question
        await pilot.press("y")
        await wait_for(lambda: f"Deleted {contact.id} — ctrl+z to undo" in messages(app))
        assert client_db.store.get("contacts", contact.id) is None
        await pilot.press("ctrl+z")
        await wait_for(lambda: client_db.store.get("contacts", contact.id) is not None)
        await show_client_tab(screen, pilot, "documents")
        await pilot.press("delete")
        await wait_for(lambda: any("never deleted" in m for m in messages(app)))
        assert not isinstance(app.screen, ConfirmScreen)
        assert client_db.store.get("documents", "DOC-0001") is not None


async def test_delete_in_the_catalog_and_an_issued_document_in_documents(
    client_db: Workspace,
) -> None:
    from accmgr.screens.catalog import CatalogScreen
    from accmgr.screens.documents import DocumentsScreen

    product = sorted(client_db.store.all("products"), key=lambda p: p["id"])[0]
    app = AccmgrApp(client_db, "catalog")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, CatalogScreen) and app.screen.ready)
        catalog = app.screen
        assert isinstance(catalog, CatalogScreen)
        row = catalog.table.get_row_index(product["code"])
        catalog.table.move_cursor(row=row)
        catalog.table.focus()
        await pilot.press("delete")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(lambda: f"Deleted {product['id']} — ctrl+z to undo" in messages(app))
        assert client_db.store.get("products", product["id"]) is None
        app.switch_mode("documents")
        await wait_for(lambda: isinstance(app.screen, DocumentsScreen) and app.screen.ready)
        documents = app.screen
        assert isinstance(documents, DocumentsScreen)
        documents.table.move_cursor(row=documents.table.get_row_index("DOC-0001"))
        documents.table.focus()
        await pilot.press("delete")
        await wait_for(lambda: any("OFR-2026-0001" in m and "never" in m for m in messages(app)))
        assert client_db.store.get("documents", "DOC-0001") is not None
