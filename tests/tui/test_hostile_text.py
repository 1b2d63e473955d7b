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
from textual.screen import Screen

from accmgr.app import AccmgrApp
from accmgr.screens.brief import BriefScreen
from accmgr.screens.client import ClientScreen
from accmgr.screens.client_tabs import TABS as CLIENT_TABS
from accmgr.screens.deal import DealScreen
from accmgr.screens.deal_tabs import TABS as DEAL_TABS
from accmgr.screens.document import DocumentScreen
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now
from tests.hostile_records import RAW, fill_hostile
from tests.tui.shell_fixtures import config_dir, wait_for

__all__ = ["config_dir"]
SIZE = (160, 45)
ESCAPED = "\\x1b]0;pwned"


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


def assert_safe(app: AccmgrApp, *, escaped: bool = True) -> None:
    text = painted(app)
    assert RAW.findall(text) == [], text
    assert RAW.findall(app.export_screenshot()) == []
    if escaped:
        assert ESCAPED in text, text


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
async def test_screens_show_control_characters_as_escapes(
    hostile_ws: Workspace, name: str
) -> None:
    app = AccmgrApp(hostile_ws, "settings")
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS[name](pilot)
        assert_safe(app)
