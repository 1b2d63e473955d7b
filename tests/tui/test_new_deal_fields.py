"""The board's new-deal form takes what forecasting needs: expected close, a probability
override, source, owner (the user by default) and tags — asserted on the store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import Input, Select, Static

from accmgr.app import AccmgrApp
from accmgr.domain.deal import LeadSource
from accmgr.domain.stages import Stage
from accmgr.screens.board_forms import NewDealForm
from accmgr.services import deals
from accmgr.services.workspace import Workspace
from tests.tui.shell_fixtures import config_dir, wait_for
from tests.tui.test_board import board, ids, ready

__all__ = ["board", "config_dir"]


async def test_new_deal_with_its_forecast_fields(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewDealForm))
        form = app.screen
        assert form.query_one("#owner", Input).value == "Ana Ferreira"  # the user by default
        await pilot.press(*"kauno", "enter", *"Lamps")
        form.query_one("#expected_close", Input).value = "2027-01-15"
        form.query_one("#probability", Input).value = "35"
        form.query_one("#source", Select).value = LeadSource.FAIR.value
        form.query_one("#tags", Input).value = "fair, q1, fair"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: "D-0004" in ids(app, Stage.PROSPECTING))
    new = deals.get_deal(board, "D-0004")
    assert (new.title, new.expected_close, new.probability_override) == (
        "Lamps",
        date(2027, 1, 15),
        Decimal(35),
    )
    assert (new.source, new.owner, new.tags) == (LeadSource.FAIR, "Ana Ferreira", ("fair", "q1"))


async def test_a_probability_over_100_is_refused_beside_its_field(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewDealForm))
        form = app.screen
        await pilot.press(*"kauno", "enter", *"Lamps")
        form.query_one("#probability", Input).value = "120"
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = str(form.query_one("#field-probability .field-message", Static).content)
        assert "from 0 to 100" in message
        assert isinstance(app.screen, NewDealForm)
    assert board.store.count("deals") == 3


async def test_e_on_a_card_edits_the_deal_in_the_same_form(board: Workspace) -> None:
    from tests.tui.test_board import highlight

    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0002")
        await pilot.press("e")
        await wait_for(lambda: isinstance(app.screen, NewDealForm))
        form = app.screen
        assert form.query_one("#title", Input).value == "Linen for hotels"
        assert form.query_one("#owner", Input).value == "Rui Costa"
        form.query_one("#value", Input).value = "8 500"
        form.query_one("#source", Select).value = LeadSource.REFERRAL.value
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: deals.get_deal(board, "D-0002").value == Decimal(8500))
    edited = deals.get_deal(board, "D-0002")
    assert (edited.source, edited.currency, edited.client_id) == (
        LeadSource.REFERRAL,
        "PLN",
        "C-0002",
    )
    assert board.store.count("deals") == 3
