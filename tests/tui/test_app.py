"""The minimal pipeline app: deals per stage, and changes made elsewhere appear by themselves."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import OptionList, Static

from accmgr.app import AccmgrApp
from accmgr.domain.stages import Stage
from accmgr.screens.pipeline import PipelineScreen
from accmgr.services import clients, deals
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.stage_column import StageColumn
from tests.conftest import frozen_now


def column_ids(app: AccmgrApp, stage: Stage) -> list[str]:
    options = app.screen.query_one(f"#stage-{stage.value}", StageColumn).query_one(OptionList)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def wait_for(condition: object, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, "the screen did not update in time"
        await asyncio.sleep(0.05)


async def test_board_shows_open_deals_per_stage_and_picks_up_outside_writes(tmp_path: Path) -> None:
    path = tmp_path / "db"
    store = open_store(path)
    ws = Workspace(store=store, clock=frozen_now)
    clients.add_client(ws, "Kauno Baldai UAB", country="LT")
    deals.add_deal(ws, "C-0001", "Office chairs")
    deals.add_deal(ws, "C-0001", "Desks", stage=Stage.CLOSING, reason="repeat order")
    lost = deals.add_deal(ws, "C-0001", "Lamps")
    deals.lose_deal(ws, lost.id, reason="price", note="too dear")  # type: ignore[arg-type]

    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: column_ids(app, Stage.PROSPECTING) == ["D-0001"])
        assert column_ids(app, Stage.CLOSING) == ["D-0002"]
        status = app.screen.query_one("#status", Static)
        assert "2 open deals" in str(status.content)

        # Another process (the CLI in a second terminal) writes to the same database.
        other = open_store(path)
        other_ws = Workspace(store=other, clock=frozen_now)
        deals.add_deal(other_ws, "C-0001", "Shelves")
        deals.move_deal(other_ws, "D-0001", Stage.CALL, reason="called already")
        other.close()

        await wait_for(lambda: column_ids(app, Stage.CALL) == ["D-0001"])
        assert column_ids(app, Stage.PROSPECTING) == ["D-0004"]
        await pilot.press("ctrl+q")
    store.close()


async def test_empty_database_offers_demo_data_on_a_key(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db")
    app = AccmgrApp(Workspace(store=store, clock=frozen_now))
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.screen.query_one("#status", Static)
        await wait_for(lambda: "Press d" in str(status.content))
        await pilot.press("d")
        await wait_for(lambda: "open deals" in str(status.content), timeout=20)
        assert store.count("deals") == 120
        assert sum(len(column_ids(app, stage)) for stage in Stage) > 0
        # Once the database holds records, the key is gone: demo data never overwrites.
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        assert screen.check_action("demo", ()) is False
    store.close()


async def test_what_the_store_noticed_on_opening_is_a_notification(tmp_path: Path) -> None:
    path = tmp_path / "db"
    open_store(path).close()
    path.chmod(0o755)
    store = open_store(path)
    ws = Workspace(store=store, clock=frozen_now)
    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: any(n.severity == "warning" for n in app._notifications))
        [note] = [n for n in app._notifications if n.severity == "warning"]
        assert note.message == (
            f"{path} can be read by other users (mode 755); run: chmod 700 {path}; "
            f"accmgr --data {path} check --fix narrows what is yours"
        )
        await pilot.press("ctrl+q")
    store.close()
