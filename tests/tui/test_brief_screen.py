"""The meeting brief on screen: the warning is the first thing read, then what is open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from accmgr.app import AccmgrApp
from accmgr.screens.brief import BriefScreen
from accmgr.services import reliability
from accmgr.services.workspace import Workspace
from tests.tui.shell_fixtures import wait_for as _wait_for
from tests.tui.today_fixtures import today_ws

__all__ = ["today_ws"]


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    await _wait_for(condition, timeout)


async def open_brief(pilot: Pilot[Any], record_id: str) -> BriefScreen:
    app = pilot.app
    await pilot.pause()
    await app.push_screen(BriefScreen(record_id))
    await wait_for(lambda: isinstance(app.screen, BriefScreen) and app.screen.brief is not None)
    screen = app.screen
    assert isinstance(screen, BriefScreen)
    await pilot.pause()
    return screen


def text(screen: BriefScreen, name: str) -> str:
    return str(screen.query_one(f"#brief-{name}", Static).render())


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_warning_comes_first(today_ws: Workspace, size: tuple[int, int]) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=size) as pilot:
        screen = await open_brief(pilot, "a-0003")
        warnings = screen.query_one("#brief-warnings", Static)
        assert text(screen, "warnings").splitlines() == [
            "⚠ CAUTION: open red flag (late payments): Paid 60 days late twice",
            "ℹ INFO: reliability never reviewed",
        ]
        assert warnings.has_class("-warned")
        # The first lines under the title bar, whatever the terminal's size.
        assert warnings.region.y == 1 and warnings.region.height == 2
        assert screen.title == "Brief: Porto Metais SA"


async def test_the_brief_holds_what_is_open(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_brief(pilot, "A-0003")
        assert text(screen, "meeting").startswith("Tue 24 Nov 2026 10:00  Porto Metais SA (C-0001)")
        assert "Agenda: Quarterly review" in text(screen, "meeting")
        assert "key client · PT · Metals" in text(screen, "client")
        assert "Rui Costa — decision maker, CFO" in text(screen, "attendees")
        opened = text(screen, "open")
        assert "call: Asked for prices → Wants a volume discount" in opened
        assert "Sat 21 Nov 2026 · Send the revised offer overdue" in opened  # the deal's next step
        assert "Sun 1 Nov 2026 · Account review (recurring) overdue" in opened
        assert "Open objections  none" in opened
        rel = text(screen, "reliability")
        assert "rating" in rel and "never reviewed" in rel
        assert "red flag late-payments: Paid 60 days late twice" in rel


async def test_a_fixed_warning_leaves_the_brief(today_ws: Workspace) -> None:
    """A change made elsewhere (the CLI) shows without leaving the screen."""
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_brief(pilot, "A-0003")
        with app.store_lock:
            reliability.resolve_flag(ws, "C-0001", 1, "Paid up")
        await wait_for(lambda: "red flag" not in text(screen, "warnings"))
        assert text(screen, "warnings") == "ℹ INFO: reliability never reviewed"


async def test_a_deal_without_a_meeting_says_so(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(BriefScreen("D-0002"))
        screen = app.screen
        assert isinstance(screen, BriefScreen)
        await wait_for(lambda: "No brief for D-0002" in text(screen, "warnings"))
        assert "has no planned meeting" in text(screen, "warnings")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_of_the_brief(
    today_ws: Workspace, size: tuple[int, int], snap_compare: Any
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_brief(pilot, "A-0003")

    assert snap_compare(AccmgrApp(today_ws, "today"), terminal_size=size, run_before=run_before)


async def test_p_writes_the_brief_as_pdf(
    today_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_brief(pilot, "A-0003")
        await pilot.press("p")
        pdf = tmp_path / "brief-C-0001-2026-11-24.pdf"
        await wait_for(pdf.exists, timeout=60)
        assert pdf.read_bytes().startswith(b"%PDF")
