"""`e` on the client's overview opens the new-client form filled with the client; saving goes
through the edit service, and a change made elsewhere meanwhile is merged or shown beside
yours (theirs / yours) — asserted on the store."""

from __future__ import annotations

from textual.widgets import Input, Select

from accmgr.app import AccmgrApp
from accmgr.domain.client import Tier
from accmgr.screens.client_forms import NewClientForm
from accmgr.services import edits
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.conflict import ConflictDialog
from tests.conftest import frozen_now
from tests.tui.client_fixtures import client_db
from tests.tui.shell_fixtures import config_dir
from tests.tui.test_client_screen import SIZE, client, fill, open_client, save, wait_for

__all__ = ["client_db", "config_dir"]


def change_elsewhere(ws: Workspace, changes: dict[str, object]) -> None:
    """What `accmgr client edit` in another terminal does: its own store on the same files."""
    other = open_store(ws.store.path)  # type: ignore[attr-defined]
    try:
        edits.edit_client(Workspace(store=other, clock=frozen_now), "C-0001", changes)
    finally:
        other.close()


async def test_e_opens_the_client_form_filled_and_saves_the_edit(client_db: Workspace) -> None:
    ws = client_db
    before = client(ws)
    app = AccmgrApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await pilot.press("e")
        await wait_for(lambda: isinstance(app.screen, NewClientForm))
        form = app.screen
        assert isinstance(form, NewClientForm)
        assert form.query_one("#name", Input).value == before.name
        assert form.query_one("#currency", Input).value == before.currency
        assert form.query_one("#owner", Input).value == before.owner
        form.query_one("#tier", Select).value = Tier.KEY.value
        await fill(pilot, form, "owner", "Rui Costa")
        await save(pilot, app, screen, lambda: client(ws).rev == before.rev + 1)
    after = client(ws)
    assert (after.tier, after.owner, after.name) == (Tier.KEY, "Rui Costa", before.name)


async def test_a_name_changed_meanwhile_is_asked_the_rest_merged(client_db: Workspace) -> None:
    ws = client_db
    app = AccmgrApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await pilot.press("e")
        await wait_for(lambda: isinstance(app.screen, NewClientForm))
        form = app.screen
        assert isinstance(form, NewClientForm)
        await fill(pilot, form, "name", "Kauno Baldai")
        await fill(pilot, form, "phone", "+370 37 000000")
        change_elsewhere(ws, {"name": "KB Furniture", "segment": "Retail"})
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConflictDialog))
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert [(r.label, r.theirs, r.mine) for r in dialog.rows] == [
            ("Name", "'KB Furniture'", "'Kauno Baldai'")
        ]
        dialog.query_one("#side-name", Select).value = "theirs"
        await pilot.press("ctrl+s")
        await wait_for(lambda: client(ws).phone == "+370 37 000000")
        await wait_for(lambda: app.screen is screen)
    after = client(ws)
    assert (after.name, after.segment, after.phone) == ("KB Furniture", "Retail", "+370 37 000000")
