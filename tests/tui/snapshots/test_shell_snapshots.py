"""Snapshots of the help screen and of the settings form with errors: fixed data, frozen clock,
120×40. Regenerate after a deliberate change with ``pytest --snapshot-update``."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from accmgr.app import AccmgrApp
from accmgr.services.workspace import Workspace
from tests.tui.shell_fixtures import config_dir, filled, wait_for

__all__ = ["config_dir", "filled"]

SIZE = (120, 40)


def test_help_screen(filled: Workspace, snap_compare: Any) -> None:
    # Over Settings, whose keys are the shell's own: the board's snapshot is the board's.
    async def open_help(pilot: Pilot[int]) -> None:
        await pilot.press("f1")
        await wait_for(lambda: pilot.app.screen.query("#help-keys"))
        await pilot.pause()

    app = AccmgrApp(filled, start="settings")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def test_settings_form_with_errors(filled: Workspace, snap_compare: Any) -> None:
    async def type_errors(pilot: Pilot[int]) -> None:
        screen = pilot.app.screen
        for field_id, text in {
            "f-user-name": "Ana Ferreira",
            "f-currency": "euro",
            "f-locale": "xx_YY",
            "f-stages-needs-probability": "140",
            "f-stages-closing-stall_days": "0",
        }.items():
            screen.query_one(f"#{field_id}", Input).value = text
        await pilot.press("ctrl+s")
        shown = ("#e-f-currency", "#e-f-locale", "#e-stage-needs", "#e-stage-closing")
        # Under load the messages can land a frame late: wait for all of them, then settle.
        await wait_for(lambda: all(str(screen.query_one(s, Static).content) for s in shown))
        await pilot.pause()

    app = AccmgrApp(filled, start="settings")
    assert snap_compare(app, terminal_size=SIZE, run_before=type_errors)
