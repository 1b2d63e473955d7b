"""ctrl+z in the app: the session's own changes undone one by one, said in a notification,
asserting on the store."""

from __future__ import annotations

from textual.widgets import DataTable

from accmgr.app import AccmgrApp
from accmgr.domain.stages import Stage
from accmgr.services import deals
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
