"""Today's next-step dialog never silently overwrites a next step changed elsewhere while it
was open: both are shown (theirs / yours) and the user keeps either per field; what changed
on one side only is merged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import Select

from accmgr.app import AccmgrApp
from accmgr.services import deals, edits
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.conflict import ConflictDialog
from tests.conftest import frozen_now
from tests.tui.test_today import act, choose, open_today, wait_for
from tests.tui.today_fixtures import today_ws

__all__ = ["today_ws"]


def change_elsewhere(ws: Workspace, changes: dict[str, object]) -> None:
    """What `accmgr deal edit` in another terminal does: its own store on the same files."""
    store = ws.store
    other = open_store(store.path)  # type: ignore[attr-defined]
    try:
        edits.edit_deal(Workspace(store=other, clock=frozen_now), "D-0002", changes)
    finally:
        other.close()


async def test_a_next_step_changed_meanwhile_is_shown_beside_yours(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "stalled", "D-0002")
        await act(pilot, "n", "Call the buyer", "\t", "+3d")
        change_elsewhere(
            ws,
            {"next_step": "Visit the plant", "next_step_due": date(2026, 11, 30),
             "value": Decimal(9500)},
        )  # fmt: skip
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ConflictDialog))
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert [(r.label, r.theirs, r.mine) for r in dialog.rows] == [
            ("Next step", "'Visit the plant'", "'Call the buyer'"),
            ("Next step due", "2026-11-30", "2026-11-26"),
        ]
        assert deals.get_deal(ws, "D-0002").next_step == "Visit the plant"  # nothing written yet
        dialog.query_one("#side-next_step_due", Select).value = "theirs"
        await pilot.press("ctrl+s")
        await wait_for(lambda: deals.get_deal(ws, "D-0002").next_step == "Call the buyer")
    deal = deals.get_deal(ws, "D-0002")
    assert (deal.next_step, deal.next_step_due, deal.value) == (
        "Call the buyer",
        date(2026, 11, 30),
        Decimal(9500),
    )


async def test_a_change_to_other_fields_meanwhile_is_merged_without_asking(
    today_ws: Workspace,
) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "stalled", "D-0002")
        await act(pilot, "n", "Call the buyer", "\t", "+3d")
        change_elsewhere(ws, {"title": "Office desks, 40 pcs"})
        await pilot.press("enter")
        await wait_for(lambda: deals.get_deal(ws, "D-0002").next_step == "Call the buyer")
        assert not isinstance(app.screen, ConflictDialog)
    deal = deals.get_deal(ws, "D-0002")
    assert (deal.title, deal.next_step_due) == ("Office desks, 40 pcs", date(2026, 11, 26))
