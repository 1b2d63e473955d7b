"""Snapshots of the pipeline board at 80×24, 120×40, 160×45 and 200×50 (all eight stages from
160 columns, the stage strip at 80×24), and of the new-deal form with errors: fixed data,
frozen clock. Regenerate after a deliberate change with ``pytest --snapshot-update``."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from accmgr.app import AccmgrApp
from accmgr.domain.client import FlagCategory
from accmgr.domain.stages import Stage
from accmgr.screens.board_forms import NewDealForm
from accmgr.screens.pipeline import PipelineScreen
from accmgr.services import clients, deals, reliability
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir, wait_for

__all__ = ["config_dir"]

SIZE = (120, 40)


@pytest.fixture
def board(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    clients.add_client(ws, "Kauno Baldai UAB", country="LT")
    clients.add_client(ws, "Lisboa Têxteis Lda", country="PT", currency="PLN")
    reliability.add_flag(ws, "C-0002", FlagCategory.LATE_PAYMENTS, "paid 60 days late twice")
    deals.add_deal(ws, "C-0001", "Office chairs", value=Decimal("12000"))
    deals.add_deal(
        ws,
        "C-0002",
        "Linen for hotels",
        value=Decimal("8000"),
        next_step="send samples",
        next_step_due=frozen_now().date(),
    )
    deals.add_deal(ws, "C-0001", "Desks", value=Decimal("30000"), stage=Stage.CLOSING, reason="x")
    deals.add_deal(ws, "C-0002", "Towels", value=Decimal("5000"), probability_override=Decimal(40))
    racks = deals.add_deal(
        ws, "C-0001", "Racks", value=Decimal("20000"), stage=Stage.CLOSING, reason="repeat"
    )
    deals.win_deal(ws, racks.id)  # won this month: at Fulfilment, counted apart
    try:
        yield ws
    finally:
        store.close()


async def _board_ready(pilot: Pilot[int]) -> None:
    await wait_for(lambda: isinstance(pilot.app.screen, PipelineScreen) and pilot.app.screen.ready)
    await pilot.pause()


@pytest.mark.parametrize(
    "size", [(80, 24), (120, 40), (160, 45), (200, 50)], ids=["80x24", "120x40", "160x45", "200x50"]
)
def test_board(board: Workspace, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(AccmgrApp(board), terminal_size=size, run_before=_board_ready)


def test_stage_strip_follows_the_focus_at_80x24(board: Workspace, snap_compare: Any) -> None:
    async def to_the_last_stage(pilot: Pilot[int]) -> None:
        await _board_ready(pilot)
        await pilot.press("end")  # Referrals: the strip's highlight and the columns follow
        await pilot.pause()

    assert snap_compare(AccmgrApp(board), terminal_size=(80, 24), run_before=to_the_last_stage)


def test_new_deal_form_with_errors(board: Workspace, snap_compare: Any) -> None:
    async def errors(pilot: Pilot[int]) -> None:
        await _board_ready(pilot)
        await pilot.press("n")
        await wait_for(lambda: isinstance(pilot.app.screen, NewDealForm))
        form = pilot.app.screen
        form.query_one("#value", Input).value = "1,234"
        form.query_one("#currency", Input).value = "EURO"
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(AccmgrApp(board), terminal_size=SIZE, run_before=errors)
