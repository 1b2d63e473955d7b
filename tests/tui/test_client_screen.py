"""The client screen: each tab's action writes to the store; Enter opens a deal; snapshots of
every tab with fixed data (payments, a red flag, complaints, contacts) and a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from accmgr.app import AccmgrApp
from accmgr.domain.client import Channel, Client, DecisionRole, FlagCategory, Rating, Severity
from accmgr.screens.client import ClientScreen
from accmgr.screens.client_tabs import TABS, ClientTab
from accmgr.screens.deal import DealScreen
from accmgr.services import clients, reliability
from accmgr.services.workspace import Workspace
from accmgr.widgets.form import FormScreen
from tests.tui.client_fixtures import client_db
from tests.tui.shell_fixtures import config_dir
from tests.tui.shell_fixtures import wait_for as _wait_for

__all__ = ["client_db", "config_dir"]
SIZE = (120, 40)


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    await _wait_for(condition, timeout)


async def open_client(app: AccmgrApp, pilot: Pilot[Any], client_id: str = "C-0001") -> ClientScreen:
    screen = ClientScreen(client_id)
    await app.push_screen(screen)
    await wait_for(lambda: screen.view is not None and bool(screen.query("#client-tabs")))
    await wait_for(
        lambda: (
            screen.focused is not None
            and any(isinstance(node, ClientTab) for node in screen.focused.ancestors)
        )
    )
    await pilot.pause()
    return screen


async def show_tab(screen: ClientScreen, pilot: Pilot[Any], name: str) -> None:
    for _ in range(5):
        screen.query_one(TabbedContent).active = f"tab-{name}"
        await wait_for(lambda: bool(screen.query(f"#view-{name}")))
        view = screen.query_one(f"#view-{name}")
        await wait_for(
            # The tab's table, not just anything in it: the activity tab's kind choice is
            # focusable too and may hold the focus for a frame before the table takes it.
            lambda view=view: (
                isinstance(screen.focused, DataTable)  # type: ignore[misc]
                and view in screen.focused.ancestors
            )
        )
        await pilot.pause(0.2)
        if screen.active_tab == name:
            break
    assert screen.active_tab == name
    await pilot.pause()


def form_of(app: AccmgrApp) -> FormScreen[Any]:
    screen = app.screen
    assert isinstance(screen, FormScreen), screen
    return screen


async def fill(pilot: Pilot[Any], form: FormScreen[Any], widget_id: str, text: str) -> None:
    widget = form.query_one(f"#{widget_id}")
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.text = ""
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def save(
    pilot: Pilot[Any], app: AccmgrApp, screen: ClientScreen, done: Callable[[], object]
) -> None:
    await pilot.press("ctrl+s")
    await wait_for(done)
    await wait_for(lambda: app.screen is screen)
    await pilot.pause()


def client(ws: Workspace) -> Client:
    return clients.get_client(ws, "C-0001")


async def test_overview_puts_warnings_first_and_enter_opens_a_deal(client_db: Workspace) -> None:
    app = AccmgrApp(client_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        summary = str(screen.query_one("#client-summary", Static).content)
        assert summary.startswith("⚠ 3 warning(s): open red flag (late payments)")
        warnings = str(screen.query_one("#overview-warnings", Static).content)
        assert "⚠ CAUTION: 1 overdue invoice(s), 450.00 EUR unpaid, the oldest 10 days late" in (
            warnings
        )
        assert "open high complaint" in warnings
        deals = screen.query_one("#overview-deals", DataTable)
        assert deals.row_count == 2
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DealScreen))
        assert app.screen.deal_id == "D-0001"  # type: ignore[attr-defined]


async def test_contacts_add_and_edit(client_db: Workspace) -> None:
    ws = client_db
    app = AccmgrApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "contacts")
        await pilot.press("a")
        form = form_of(app)
        await fill(pilot, form, "name", "Tomas Jankus")
        form.query_one("#role", Select).value = DecisionRole.CHAMPION.value
        form.query_one("#preferred_channel", Select).value = Channel.VISIT.value
        await fill(pilot, form, "email", "tomas@")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.field("email").has_class("-invalid") and app.screen is form
        await fill(pilot, form, "email", "tomas@kaunobaldai.lt")
        await save(pilot, app, screen, lambda: len(clients.contacts_of(ws, "C-0001")) == 3)
        added = clients.contacts_of(ws, "C-0001")[-1]
        assert (added.name, added.role, added.preferred_channel) == (
            "Tomas Jankus", DecisionRole.CHAMPION, Channel.VISIT,
        )  # fmt: skip
        await wait_for(lambda: screen.query_one("#contacts", DataTable).row_count == 3)
        screen.query_one("#contacts", DataTable).move_cursor(row=0)
        await pilot.press("e")
        form = form_of(app)
        await fill(pilot, form, "title", "Owner")
        await save(pilot, app, screen, lambda: clients.contacts_of(ws, "C-0001")[0].rev == 2)
        assert clients.contacts_of(ws, "C-0001")[0].title == "Owner"


async def test_activity_filter_by_kind(client_db: Workspace) -> None:
    app = AccmgrApp(client_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "activity")
        table = screen.query_one("#activities", DataTable)

        def kinds() -> list[str]:
            return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]

        # Newest first: the planned task, the call 3 days ago, the meeting 10 days ago.
        assert kinds() == ["task", "call", "meeting"]
        await pilot.press("k")  # calls only
        await wait_for(lambda: kinds() == ["call"])
        await pilot.press("k")  # meetings only
        await wait_for(lambda: kinds() == ["meeting"])


async def test_reliability_actions_write_the_store(client_db: Workspace) -> None:
    ws = client_db
    app = AccmgrApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "reliability")
        text = str(screen.query_one("#reliability-summary", Static).content)
        assert "Rating: B — acceptable" in text
        assert "2 of 3 paid · average 5.0 days late · worst 10 · on time 50%" in text
        assert "Open overdue: €450.00 in 1 invoice(s)" in text

        await pilot.press("p")
        form = form_of(app)
        await fill(pilot, form, "invoice", "F-104")
        await fill(pilot, form, "amount", "1 000")
        await fill(pilot, form, "due", "+30d")
        await save(pilot, app, screen, lambda: len(client(ws).reliability.payments) == 4)
        assert client(ws).reliability.payments[-1].due == date(2026, 12, 23)
        assert client(ws).reliability.payments[-1].amount == Decimal(1000)

        await wait_for(lambda: screen.query_one("#payments", DataTable).row_count == 4)
        screen.query_one("#payments", DataTable).move_cursor(row=2)  # F-103, overdue
        await pilot.press("d")
        await save(pilot, app, screen, lambda: client(ws).reliability.payments[2].paid)
        assert client(ws).reliability.payments[2].paid == ws.today()

        await pilot.press("f")
        form = form_of(app)
        form.query_one("#category", Select).value = FlagCategory.OWNERSHIP_CHANGE.value
        await fill(pilot, form, "note", "Sold to a fund")
        await save(pilot, app, screen, lambda: len(client(ws).reliability.red_flags) == 2)
        assert client(ws).reliability.red_flags[1].category == FlagCategory.OWNERSHIP_CHANGE

        await wait_for(lambda: screen.query_one("#flags", DataTable).row_count == 2)
        screen.query_one("#flags", DataTable).focus()
        screen.query_one("#flags", DataTable).move_cursor(row=0)
        await pilot.press("x")
        form = form_of(app)
        await fill(pilot, form, "note", "Paying on time since October")
        await save(pilot, app, screen, lambda: not client(ws).reliability.red_flags[0].open)

        await pilot.press("v")
        form = form_of(app)
        form.query_one("#rating", Select).value = Rating.A.value
        # The review records what the CLI's 'review' does: indicators and why this rating.
        await fill(pilot, form, "credit_limit", "40 000")
        await fill(pilot, form, "payment_terms_days", "45")
        await fill(pilot, form, "years_in_business", "12")
        await fill(pilot, form, "rating_note", "Paid every invoice on time this year")
        await save(pilot, app, screen, lambda: client(ws).reliability.rating == Rating.A)
        profile = client(ws).reliability
        assert profile.reviewed_on == ws.today() and profile.reviewer == "Ana Ferreira"
        assert (profile.credit_limit, profile.payment_terms_days, profile.years_in_business) == (
            Decimal(40000),
            45,
            12,
        )
        assert profile.rating_note == "Paid every invoice on time this year"
        await wait_for(lambda: "Why: Paid every invoice" in str(summary_of(screen)))

        await pilot.press("i")
        form = form_of(app)
        await fill(pilot, form, "payment_terms_days", "400")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.field("payment_terms_days").has_class("-invalid")
        await fill(pilot, form, "payment_terms_days", "60")
        await fill(pilot, form, "credit_limit", "35 000")
        await save(pilot, app, screen, lambda: client(ws).reliability.payment_terms_days == 60)
        assert client(ws).reliability.credit_limit == Decimal(35000)


async def test_plan_and_complaints(client_db: Workspace) -> None:
    ws = client_db
    app = AccmgrApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "plan")
        # CHAIR-1 is on the sent offer: the whitespace is the other two.
        whitespace = screen.query_one("#whitespace", DataTable)
        assert [whitespace.get_row_at(i)[0] for i in range(2)] == ["DESK-2", "LAMP-3"]
        await pilot.press("e")
        form = form_of(app)
        await fill(pilot, form, "opportunities", "Riga branch")
        await save(pilot, app, screen, lambda: client(ws).account_plan.opportunities)  # type: ignore[union-attr]
        plan = client(ws).account_plan
        assert plan is not None and plan.opportunities == ("Riga branch",)
        assert plan.objectives == ("Equip the new Vilnius office",)

        await show_tab(screen, pilot, "complaints")
        await pilot.press("a")
        form = form_of(app)
        await fill(pilot, form, "what", "Wrong colour")
        form.query_one("#severity", Select).value = Severity.CRITICAL.value
        await save(pilot, app, screen, lambda: len(reliability.complaints_of(ws, "C-0001")) == 3)
        newest = reliability.complaints_of(ws, "C-0001")[0]
        assert (newest.what, newest.severity) == ("Wrong colour", Severity.CRITICAL)
        await wait_for(lambda: screen.query_one("#complaints", DataTable).row_count == 3)
        screen.query_one("#complaints", DataTable).move_cursor(row=0)
        await pilot.press("s")
        form = form_of(app)
        await fill(pilot, form, "to", "Quality manager")
        await save(
            pilot, app, screen, lambda: reliability.complaints_of(ws, "C-0001")[0].escalated_to
        )
        assert reliability.complaints_of(ws, "C-0001")[0].escalated_to == "Quality manager"
        await pilot.press("x")
        form = form_of(app)
        await fill(pilot, form, "resolution", "Replaced")
        await save(pilot, app, screen, lambda: not reliability.complaints_of(ws, "C-0001")[0].open)
        assert reliability.complaints_of(ws, "C-0001")[0].resolved_on == ws.today()


@pytest.mark.parametrize("tab", list(TABS))
def test_snapshot_of_each_tab(client_db: Workspace, snap_compare: Any, tab: str) -> None:
    async def shown(pilot: Pilot[int]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, tab)

    assert snap_compare(AccmgrApp(client_db), terminal_size=SIZE, run_before=shown)


async def test_enter_on_a_document_opens_it(client_db: Workspace) -> None:
    document = pytest.importorskip("accmgr.screens.document")
    app = AccmgrApp(client_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "documents")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, document.DocumentScreen))


async def test_a_conflict_keeps_the_form_and_saves_against_the_fresh_client(
    client_db: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The screen's polling must not see the outside write before the save: then there would
    # be no conflict to test (the save would rightly go on top of the fresh client).
    monkeypatch.setattr("accmgr.screens.client.REFRESH_SECONDS", 3600)
    ws = client_db
    app = AccmgrApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "reliability")
        await pilot.press("f")
        form = form_of(app)
        form.query_one("#category", Select).value = FlagCategory.LEGAL_DISPUTES.value
        await fill(pilot, form, "note", "Court case")
        # Another terminal writes the client meanwhile.
        rev = client(ws).rev
        with app.store_lock:
            reliability.record_review(ws, "C-0001", Rating.C)
        await pilot.press("ctrl+s")
        await wait_for(lambda: any("changed elsewhere" in n.message for n in app._notifications))
        assert app.screen is form and len(client(ws).reliability.red_flags) == 1
        await wait_for(lambda: screen.view is not None and screen.view.client.rev == rev + 1)
        await save(pilot, app, screen, lambda: len(client(ws).reliability.red_flags) == 2)
        assert client(ws).reliability.rating == Rating.C


async def test_a_merged_id_leads_to_the_client_it_was_merged_into(client_db: Workspace) -> None:
    from accmgr.services import merge

    merge.merge_clients(client_db, "C-0001", "C-0002")
    app = AccmgrApp(client_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(app, pilot, "C-0002")
        assert screen.client_id == "C-0001" and screen.view is not None
        assert screen.view.client.name == "Kauno Baldai UAB"
        assert any("C-0002 was merged into C-0001" in n.message for n in app._notifications)


async def test_the_reliability_tab_opens_at_the_rating_at_80_by_24(client_db: Workspace) -> None:
    app = AccmgrApp(client_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(app, pilot)
        await show_tab(screen, pilot, "reliability")
        tab = screen.query_one("#view-reliability", ClientTab)
        # The payments table has the keys, but the tab is not scrolled past the rating.
        assert isinstance(screen.focused, DataTable) and screen.focused.id == "payments"
        assert tab.max_scroll_y > 0  # the tab is taller than the screen: the case at hand
        assert tab.scroll_y == 0
        summary = screen.query_one("#reliability-summary", Static)
        assert summary.region.y >= tab.region.y and "Rating: B" in str(summary.content)


def summary_of(screen: Any) -> object:
    return screen.query_one("#reliability-summary", Static).content
