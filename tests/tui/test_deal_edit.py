"""`e` on the deal screen opens the new-deal form filled with the deal; the save goes through
the edit service: the probability returns to the stage default when emptied, and a title
changed elsewhere meanwhile is shown beside yours — asserted on the store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import Input, Select

from accmgr.app import AccmgrApp
from accmgr.screens.board_forms import NewDealForm
from accmgr.services import edits
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.conflict import ConflictDialog
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir
from tests.tui.test_deal import fresh, open_deal, stored, wait_for

__all__ = ["config_dir", "fresh"]


async def open_edit(app: AccmgrApp, pilot: object) -> NewDealForm:
    await pilot.press("e")  # type: ignore[attr-defined]
    await wait_for(lambda: isinstance(app.screen, NewDealForm))
    form = app.screen
    assert isinstance(form, NewDealForm)
    return form


async def test_e_edits_the_deal_in_the_new_deal_form_filled(fresh: Workspace) -> None:
    ws = fresh
    edits.edit_deal(ws, "D-0001", {"probability_override": Decimal(40), "tags": ("fleet",)})
    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_deal(app, pilot)
        form = await open_edit(app, pilot)
        assert form.query_one("#title", Input).value == "Office chairs"
        assert form.query_one("#probability", Input).value == "40"
        assert form.query_one("#tags", Input).value == "fleet"
        assert not form.query("#client")  # the client of a deal stays
        form.query_one("#title", Input).value = "Office chairs, 250 pcs"
        form.query_one("#probability", Input).value = ""  # back to the stage default
        form.query_one("#expected_close", Input).value = "2027-03-31"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: stored(ws).title == "Office chairs, 250 pcs")
    deal = stored(ws)
    assert (deal.probability_override, deal.expected_close, deal.value, deal.tags) == (
        None,
        date(2027, 3, 31),
        Decimal(45000),
        ("fleet",),
    )


async def test_a_title_changed_meanwhile_is_asked(fresh: Workspace) -> None:
    ws = fresh
    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_deal(app, pilot)
        form = await open_edit(app, pilot)
        form.query_one("#title", Input).value = "Chairs"
        form.query_one("#owner", Input).value = "Rui Costa"
        other = open_store(ws.store.path)  # type: ignore[attr-defined]
        try:  # `accmgr deal edit` in another terminal
            edits.edit_deal(
                Workspace(store=other, clock=frozen_now),
                "D-0001",
                {"title": "Desk chairs", "value": Decimal(50000)},
            )
        finally:
            other.close()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConflictDialog))
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        # The value the form loaded (45000.00 as typed back) is no change of the user's: the
        # value set elsewhere is kept without asking; only the title was changed on both sides.
        assert [(r.label, r.theirs, r.mine) for r in dialog.rows] == [
            ("Title", "'Desk chairs'", "'Chairs'")
        ]
        dialog.query_one("#side-title", Select).value = "mine"
        await pilot.press("ctrl+s")
        await wait_for(lambda: stored(ws).owner == "Rui Costa")
    deal = stored(ws)
    assert (deal.title, deal.value, deal.owner) == ("Chairs", Decimal(50000), "Rui Costa")
