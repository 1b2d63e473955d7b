"""At 80×24 every form keeps its Cancel and Save buttons on the screen, however tall it is.

The fields scroll inside the form; the buttons and the error line stay below them. The
tallest forms are opened directly over the app, with the small fixed database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button

from accmgr.app import AccmgrApp
from accmgr.domain.deal import Meeting
from accmgr.screens import deal_forms, reliability_forms
from accmgr.screens.board_forms import ClientChoice, NewDealForm
from accmgr.screens.catalog_forms import NewProductForm
from accmgr.screens.client_forms import ContactForm, NewClientForm
from accmgr.services.clients import get_client
from accmgr.services.deals import get_deal
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import FormScreen
from tests.tui.shell_fixtures import config_dir, filled, wait_for

__all__ = ["config_dir", "filled"]

Make = Callable[[Workspace, threading.Lock], FormScreen[Any]]


def _deal_ctx(ws: Workspace, lock: threading.Lock) -> deal_forms.DealContext:
    deal = get_deal(ws, "D-0001")
    return deal_forms.DealContext(
        workspace=ws,
        deal=deal,
        lock=lock,
        latest_rev=lambda: deal.rev,
        reload=lambda: None,
        catalog={},
        inactive=frozenset(),
        contacts=("Ona Petraitė",),
    )


def _client_ctx(ws: Workspace, lock: threading.Lock) -> reliability_forms.ClientContext:
    client = get_client(ws, "C-0001")
    return reliability_forms.ClientContext(
        workspace=ws, client=client, lock=lock, latest_rev=lambda: client.rev, reload=lambda: None
    )


FORMS: dict[str, Make] = {
    "new deal": lambda ws, lock: NewDealForm(
        [ClientChoice("C-0001", "Kauno Baldai UAB", "EUR")], workspace=ws, lock=lock
    ),
    "new client": lambda ws, lock: NewClientForm(ws, lock),
    "contact": lambda ws, lock: ContactForm(ws, lock, client_id="C-0001"),
    "product": lambda ws, lock: NewProductForm(workspace=ws, lock=lock),
    "meeting prep": lambda ws, lock: deal_forms.MeetingPrepForm(
        _deal_ctx(ws, lock), 0, Meeting(place="Kaunas office")
    ),
    "meeting outcome": lambda ws, lock: deal_forms.MeetingOutcomeForm(
        _deal_ctx(ws, lock), 0, Meeting(place="Kaunas office")
    ),
    "objection": lambda ws, lock: deal_forms.ObjectionForm(_deal_ctx(ws, lock)),
    "referral": lambda ws, lock: deal_forms.ReceiveReferralForm(_deal_ctx(ws, lock)),
    "indicators": lambda ws, lock: reliability_forms.IndicatorsForm(_client_ctx(ws, lock)),
    "account plan": lambda ws, lock: reliability_forms.PlanForm(_client_ctx(ws, lock)),
    "complaint": lambda ws, lock: reliability_forms.ComplaintForm(_client_ctx(ws, lock)),
}


def _inside(screen: Screen[Any], widget_id: str) -> bool:
    region = screen.query_one(widget_id, Button).region
    return bool(region) and screen.region.contains_region(region)


@pytest.mark.parametrize("name", list(FORMS))
async def test_buttons_stay_on_an_80x24_screen(filled: Workspace, name: str) -> None:
    app = AccmgrApp(filled)
    async with app.run_test(size=(80, 24)) as pilot:
        form = FORMS[name](filled, app.store_lock)
        await app.push_screen(form)
        await wait_for(lambda: form.query_one("#form-save", Button).region)
        await pilot.pause()
        assert _inside(form, "#form-save"), name
        assert _inside(form, "#form-cancel"), name
        # The fields that do not fit are reached by scrolling, not cut off.
        fields = form.query_one("#form-fields", VerticalScroll)
        assert form.region.contains_region(fields.region)
        last = form.fields[-1]
        fields.scroll_to_widget(last, animate=False)
        await pilot.pause()
        assert fields.region.contains_region(last.region), name


async def test_a_terminal_made_narrow_keeps_f1_help_in_the_footer(filled: Workspace) -> None:
    from textual.widgets._footer import FooterKey

    from accmgr.widgets.footer import AppFooter

    app = AccmgrApp(filled)
    async with app.run_test(size=(120, 40)) as pilot:

        def keys() -> list[FooterKey]:
            return list(app.screen.query_one(AppFooter).query(FooterKey))

        await wait_for(lambda: any(k.action == "help" for k in keys()))
        assert any(k.action == "command_palette" for k in keys())
        await pilot.resize_terminal(80, 24)
        await wait_for(lambda: not any(k.action == "command_palette" for k in keys()))
        await pilot.pause()
        help_key = next(k for k in keys() if k.action == "help")
        assert app.screen.region.contains_region(help_key.region)
