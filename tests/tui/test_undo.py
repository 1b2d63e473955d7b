"""ctrl+z in the app: the session's own changes undone one by one, said in a notification,
asserting on the store."""

from __future__ import annotations

from accmgr.app import AccmgrApp
from accmgr.domain.stages import Stage
from accmgr.services import deals
from accmgr.services.workspace import Workspace
from tests.tui.shell_fixtures import wait_for
from tests.tui.test_board import board, config_dir, highlight, ids, ready

__all__ = ["board", "config_dir"]


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
