"""The deal workspace: a tab per stage, its checklist, and the forms that record each stage."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Select, Static, TabbedContent

from accmgr.app import AccmgrApp
from accmgr.domain.deal import (
    CallOutcome,
    Deal,
    ObjectionCategory,
    ObjectionStatus,
)
from accmgr.domain.stages import Stage
from accmgr.screens.board_forms import LostForm, WonForm
from accmgr.screens.deal import DealScreen
from accmgr.screens.deal_forms import DealForm
from accmgr.screens.deal_tabs import TABS, StageTab
from accmgr.services import catalog, clients, deals, documents, issuing
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.form import ConfirmDiscard
from accmgr.widgets.inputs import DateInput
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir
from tests.tui.shell_fixtures import wait_for as _wait_for

__all__ = ["config_dir"]


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Generous: under ``pytest -n`` a loaded machine draws slowly."""
    await _wait_for(condition, timeout)


def _base(ws: Workspace) -> None:
    clients.add_client(ws, "Kauno Baldai UAB", country="LT", industry="Furniture")
    clients.add_contact(ws, "C-0001", "Jonas Petrauskas", phone="+370 600 00000")
    catalog.add_product(
        ws, "CHAIR-1", "Office chair", unit_price=Decimal(180), currency="EUR",
        tax_rate=Decimal(21),
    )  # fmt: skip
    deals.add_deal(ws, "C-0001", "Office chairs", value=Decimal(45000))


@pytest.fixture
def fresh(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """One client with a reachable contact, one product, one deal at Prospecting."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    _base(ws)
    try:
        yield ws
    finally:
        store.close()


@pytest.fixture
def full(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """A won deal at Referrals with the data of every stage, for the snapshots."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    _base(ws)
    now, today = ws.now(), ws.today()
    d = "D-0001"
    sd.record_call(ws, d, at=now - timedelta(days=40), who="Jonas", outcome=CallOutcome.NO_ANSWER)
    sd.record_call(
        ws, d, at=now - timedelta(days=39), who="Jonas Petrauskas",
        outcome=CallOutcome.APPOINTMENT_SET, note="Meeting at their office",
    )  # fmt: skip
    deals.move_deal(ws, d, Stage.CALL)
    sd.book_meeting(ws, d, planned_at=now - timedelta(days=30), place="Kaunas office",
                    agenda="Range and delivery")  # fmt: skip
    sd.update_meeting_prep(
        ws, d, 0, attendees=sd.parse_attendees("Jonas Petrauskas, buyer\n+Ana Ferreira, KAM"),
        client_interests="Ergonomics", benefits_to_show="5-year warranty",
        reliability_reviewed=True,
    )  # fmt: skip
    sd.record_meeting_outcome(ws, d, 0, held=True, notes="Wants 250 chairs",
                              draft_contract_points="Delivery in two batches",
                              disagreements="Payment terms")  # fmt: skip
    deals.move_deal(ws, d, Stage.MEETING)
    deals.move_deal(ws, d, Stage.NEEDS)
    sd.add_need(ws, d, need="Ergonomic chairs for 250 staff", products=["CHAIR-1"], presented=True)
    sd.add_invitation(ws, d, event="Furniture fair Vilnius", on=today - timedelta(days=20))
    deals.move_deal(ws, d, Stage.OBJECTIONS)
    sd.add_objection(ws, d, category=ObjectionCategory.PRICE, words="Too expensive",
                     real_reason="Budget cut", response="Volume discount",
                     status=ObjectionStatus.RESOLVED, blocking=True)  # fmt: skip
    deals.move_deal(ws, d, Stage.CLOSING)
    offer = documents.new_offer(ws, d, valid_until=today + timedelta(days=30))
    documents.add_line(ws, offer.id, "CHAIR-1", Decimal(250))
    issuing.issue(ws, offer.id)
    deals.win_deal(ws, d)
    sd.add_milestone(ws, d, what="First batch", due=today - timedelta(days=5), department="Ops")
    sd.add_milestone(ws, d, what="Second batch", due=today - timedelta(days=2))
    sd.deliver_milestone(ws, d, 0, delivered_on=today - timedelta(days=6))
    sd.deliver_milestone(ws, d, 1, delivered_on=today)
    deals.move_deal(ws, d, Stage.REFERRALS)
    sd.ask_referral(ws, d, note="At the review")
    sd.receive_referral(ws, d, index=0, company="Vilniaus Biurai UAB", contact_name="Rasa")
    sd.add_testimonial(ws, d, text="Chairs arrived early.", by="Jonas Petrauskas")
    sd.set_next_step(ws, d, "Quarterly review", today + timedelta(days=3))
    try:
        yield ws
    finally:
        store.close()


def stored(ws: Workspace, deal_id: str = "D-0001") -> Deal:
    return deals.get_deal(ws, deal_id)


async def open_deal(app: AccmgrApp, pilot: Pilot[Any], deal_id: str = "D-0001") -> DealScreen:
    screen = DealScreen(deal_id)
    await app.push_screen(screen)
    await wait_for(lambda: screen.view is not None and bool(screen.query("#deal-tabs")))
    # The tab strip picks its first tab when it mounts: wait for that and the table's focus,
    # or a tab chosen meanwhile would be switched back.
    await wait_for(
        lambda: (
            screen.focused is not None
            and any(isinstance(node, StageTab) for node in screen.focused.ancestors)
        )
    )
    await pilot.pause()
    return screen


async def show_tab(screen: DealScreen, pilot: Pilot[Any], name: str) -> None:
    screen.query_one(TabbedContent).active = f"tab-{name}"
    await wait_for(lambda: bool(screen.query(f"#view-{name}")))
    # The tab's first table takes the focus once drawn: wait for it, so snapshots are stable.
    view = screen.query_one(f"#view-{name}")
    await wait_for(lambda: screen.focused is not None and view in screen.focused.ancestors)
    await pilot.pause()
    assert screen.active_tab == name


def checklist(screen: DealScreen, name: str) -> str:
    return str(screen.query_one(f"#view-{name} .checklist", Static).content)


async def fill(pilot: Pilot[Any], form: DealForm, widget_id: str, text: str) -> None:
    """Type into a field the way the user does: focus it, type."""
    form.query_one(f"#{widget_id}").focus()
    await pilot.pause()
    await pilot.press(*text)


async def save(pilot: Pilot[Any], app: AccmgrApp, done: Callable[[], object]) -> None:
    await pilot.press("ctrl+s")
    await wait_for(done)
    await wait_for(lambda: not isinstance(app.screen, DealForm))
    await pilot.pause()


def form_of(app: AccmgrApp) -> DealForm:
    screen = app.screen
    assert isinstance(screen, DealForm), screen
    return screen


async def test_walk_a_deal_through_its_stage_tabs(fresh: Workspace) -> None:
    ws = fresh
    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        # The deal opens on its current stage; a reachable contact exists.
        assert screen.active_tab == "prospecting"
        assert "✔ a contact person" in checklist(screen, "prospecting")
        assert "Stage 1/8 Prospecting" in str(screen.query_one("#deal-summary", Static).content)

        await show_tab(screen, pilot, "call")
        assert "✘ a meeting is booked" in checklist(screen, "call")
        await pilot.press("a")
        form = form_of(app)
        await fill(pilot, form, "who", "Jonas")
        form.query_one("#outcome", Select).value = CallOutcome.APPOINTMENT_SET.value
        await fill(pilot, form, "next_call", "+2d")
        await save(pilot, app, lambda: stored(ws).calls)
        [call] = stored(ws).calls
        assert (call.who, call.outcome, call.at) == ("Jonas", CallOutcome.APPOINTMENT_SET, ws.now())
        assert call.next_call == date(2026, 11, 25)

        await pilot.press("b")
        form = form_of(app)
        await fill(pilot, form, "planned_at", "yesterday 14:00")
        await fill(pilot, form, "place", "Kaunas office")
        await save(pilot, app, lambda: stored(ws).meetings)
        await wait_for(lambda: "✔ a meeting is booked" in checklist(screen, "call"))

        await show_tab(screen, pilot, "meeting")
        assert "✘ the meeting was held" in checklist(screen, "meeting")
        await pilot.press("o")
        form = form_of(app)
        await fill(pilot, form, "notes", "Wants 250 chairs")
        await save(pilot, app, lambda: stored(ws).meetings[0].held)
        assert stored(ws).meetings[0].outcome_notes == "Wants 250 chairs"
        await wait_for(lambda: "✔ the meeting was held" in checklist(screen, "meeting"))

        await show_tab(screen, pilot, "needs")
        await pilot.press("a")
        form = form_of(app)
        await fill(pilot, form, "need", "Ergonomic chairs")
        await fill(pilot, form, "products", "chair-1")
        assert "CHAIR-1 Office chair" in str(
            form.field("products").query_one(".field-message", Static).content
        )
        await save(pilot, app, lambda: stored(ws).needs)
        assert stored(ws).needs[0].products == ("CHAIR-1",)
        await wait_for(lambda: "✔ at least one need" in checklist(screen, "needs"))

        await show_tab(screen, pilot, "objections")
        await pilot.press("a")
        form = form_of(app)
        form.query_one("#category", Select).value = ObjectionCategory.PRICE.value
        await fill(pilot, form, "words", "Too expensive")
        form.query_one("#blocking", Checkbox).value = True
        await save(pilot, app, lambda: stored(ws).objections)
        await wait_for(lambda: "✘ no open objection" in checklist(screen, "objections"))
        await pilot.press("e")
        form = form_of(app)
        await fill(pilot, form, "response", "Volume discount")
        form.query_one("#status", Select).value = ObjectionStatus.RESOLVED.value
        await save(pilot, app, lambda: stored(ws).objections[0].status == "resolved")
        assert stored(ws).objections[0].response == "Volume discount"
        await wait_for(lambda: "✔ no open objection" in checklist(screen, "objections"))

        await pilot.press("n")
        form = form_of(app)
        await fill(pilot, form, "next_step", "Send the offer")
        await fill(pilot, form, "due", "next fri")
        await save(pilot, app, lambda: stored(ws).next_step)
        assert stored(ws).next_step_due == date(2026, 11, 27)


async def test_an_invalid_date_is_shown_beside_its_field_and_nothing_is_saved(
    fresh: Workspace,
) -> None:
    app = AccmgrApp(fresh)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        await show_tab(screen, pilot, "fulfilment")
        await pilot.press("a")
        form = form_of(app)
        await fill(pilot, form, "what", "First batch")
        await fill(pilot, form, "due", "31 Foo")
        field = form.field("due")
        message = str(field.query_one(".field-message", Static).content)
        assert field.has_class("-invalid") and message
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DealForm)
        assert "to correct; nothing saved" in str(form.query_one("#form-error", Static).content)
        assert stored(fresh).milestones == () and stored(fresh).rev == 1
        # The date read back while typing.
        form.query_one("#due", DateInput).value = ""
        await fill(pilot, form, "due", "2026-12-03")
        assert "Thu 3 Dec 2026" in str(field.query_one(".field-message", Static).content)


async def test_escape_asks_before_dropping_edits(fresh: Workspace) -> None:
    app = AccmgrApp(fresh)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        await show_tab(screen, pilot, "call")
        await pilot.press("a")
        await pilot.press("escape")  # nothing typed: closes at once
        assert app.screen is screen
        await pilot.press("a")
        await fill(pilot, form_of(app), "who", "Jonas")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        assert isinstance(app.screen, DealForm)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.screen is screen
        assert stored(fresh).calls == ()


async def test_a_conflict_notifies_reloads_and_keeps_the_edits(
    fresh: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The screen's own polling must not see the outside write first: then the save would go
    # on top of it without a conflict (also right, but not what this test is about).
    monkeypatch.setattr("accmgr.screens.deal.REFRESH_SECONDS", 3600)
    app = AccmgrApp(fresh)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        await show_tab(screen, pilot, "call")
        await pilot.press("a")
        form = form_of(app)
        await fill(pilot, form, "who", "Jonas")
        form.query_one("#outcome", Select).value = CallOutcome.CALL_BACK.value
        # Someone else writes the deal meanwhile (a second terminal).
        with app.store_lock:
            sd.set_next_step(fresh, "D-0001", "Call back", date(2026, 11, 24))
        await pilot.press("ctrl+s")
        await wait_for(lambda: any("changed elsewhere" in n.message for n in app._notifications))
        assert app.screen is form and stored(fresh).calls == ()
        await wait_for(lambda: screen.view is not None and screen.view.deal.rev == 2)
        await save(pilot, app, lambda: stored(fresh).calls)
        assert stored(fresh).next_step == "Call back"


async def test_footer_keys_follow_the_tab(fresh: Workspace) -> None:
    app = AccmgrApp(fresh)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)

        def shown() -> set[str]:
            return {
                b.binding.action
                for b in screen.active_bindings.values()
                if b.binding.show and b.enabled
            }

        await show_tab(screen, pilot, "meeting")
        assert {"book_meeting", "next_step", "back"} <= shown()
        assert "meeting_prep" not in shown()  # no meeting to prepare yet
        assert "add_call" not in shown()
        await show_tab(screen, pilot, "referrals")
        assert {"ask_referral", "receive_referral", "add_testimonial"} <= shown()
        await pilot.press("escape")
        assert not isinstance(app.screen, DealScreen)


async def test_a_received_referral_becomes_a_prospect(full: Workspace) -> None:
    app = AccmgrApp(full)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        assert screen.active_tab == "referrals"
        await pilot.press("v")
        form = form_of(app)
        await fill(pilot, form, "company", "Klaipėdos Stalai UAB")
        await fill(pilot, form, "contact_name", "Tomas")
        await save(pilot, app, lambda: len(stored(full).referrals) == 2)
        referral = stored(full).referrals[1]
        prospect = clients.get_client(full, referral.client_id or "")
        assert (prospect.name, prospect.referred_by) == ("Klaipėdos Stalai UAB", "C-0001")


# --- snapshots ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", list(TABS))
def test_snapshot_of_each_tab(full: Workspace, tab: str, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        # The tab underline slides; a snapshot taken mid-slide would differ run to run.
        app.animation_level = "none"
        screen = await open_deal(app, pilot)
        await show_tab(screen, pilot, tab)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(AccmgrApp(full), terminal_size=(120, 40), run_before=run_before)


# --- closing, completing, the brief ------------------------------------------------------------


@pytest.fixture
def closing(fresh: Workspace) -> Workspace:
    """The deal at Closing with an issued offer past its date (expired) and a draft."""
    ws = fresh
    deals.move_deal(ws, "D-0001", Stage.CLOSING, reason="Inbound: they asked for an offer")
    offer = documents.new_offer(ws, "D-0001", valid_until=ws.today())
    documents.add_line(ws, offer.id, "CHAIR-1", Decimal(10))
    issuing.issue(ws, offer.id)
    draft = documents.new_offer(ws, "D-0001")
    documents.add_line(ws, draft.id, "CHAIR-1", Decimal(20))
    return ws


async def test_closing_lists_the_offers_and_opens_them(closing: Workspace) -> None:
    from accmgr.screens.document import DocumentScreen
    from accmgr.screens.offer_editor import OfferEditorScreen

    # Three days on: the offer valid until today is expired by then.
    app = AccmgrApp(dataclasses.replace(closing, clock=lambda: frozen_now() + timedelta(days=3)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        assert screen.active_tab == "closing"
        table = screen.query_one("#offers", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        issued = documents.list_documents(closing, deal_id="D-0001")[0]
        assert rows[0][:4] == [issued.number, "1", "expired", "€2,178.00"]
        assert rows[1][:3] == ["draft DOC-0002", "—", "draft"]
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DocumentScreen))
        assert app.screen.document_id == issued.id  # type: ignore[attr-defined]
        app.pop_screen()
        await wait_for(lambda: app.screen is screen)
        await pilot.pause()
        await pilot.press("down", "enter")
        await wait_for(lambda: isinstance(app.screen, OfferEditorScreen))
        assert app.screen.document_id == "DOC-0002"  # type: ignore[attr-defined]


async def test_new_offer_opens_the_editor_on_a_new_draft(closing: Workspace) -> None:
    from accmgr.screens.offer_editor import OfferEditorScreen

    app = AccmgrApp(closing)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_deal(app, pilot)
        await pilot.press("o")
        await wait_for(lambda: isinstance(app.screen, OfferEditorScreen))
        drafts = [d for d in documents.list_documents(closing, deal_id="D-0001") if d.is_draft]
        assert len(drafts) == 2
        assert app.screen.document_id == drafts[-1].id  # type: ignore[attr-defined]


async def test_won_and_lost_from_the_closing_tab(closing: Workspace) -> None:
    app = AccmgrApp(closing)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LostForm)
        await pilot.press("escape")
        await wait_for(lambda: app.screen is screen)
        assert stored(closing).outcome is None
        await pilot.press("w")
        assert isinstance(app.screen, WonForm)
        await save(pilot, app, lambda: stored(closing).outcome == "won")
        assert stored(closing).stage == Stage.FULFILMENT
        await wait_for(lambda: "Won" in str(screen.query_one("#outcome", Static).content))


async def test_complete_is_refused_while_a_milestone_is_open(closing: Workspace) -> None:
    ws = closing
    deals.win_deal(ws, "D-0001")
    sd.add_milestone(ws, "D-0001", what="Spare parts", due=ws.today())
    app = AccmgrApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        assert screen.active_tab == "fulfilment"
        await pilot.press("c")
        await wait_for(lambda: any("not met" in n.message for n in app._notifications))
        [note] = [n for n in app._notifications if "not met" in n.message]
        assert "every milestone is delivered" in note.message and note.title == "Not completed"
        assert stored(ws).completed_on is None
        await pilot.press("d")
        await save(pilot, app, lambda: stored(ws).milestones[-1].delivered_on is not None)
        await wait_for(lambda: screen.view is not None and screen.view.deal.rev == stored(ws).rev)
        await pilot.press("c")
        await wait_for(lambda: stored(ws).completed_on == ws.today())
        assert [e.stage for e in stored(ws).stage_history][-2:] == [
            Stage.FULFILMENT,
            Stage.REFERRALS,
        ]


async def test_b_in_the_meeting_tab_opens_the_brief(full: Workspace) -> None:
    from accmgr.screens.brief import BriefScreen

    app = AccmgrApp(full)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deal(app, pilot)
        await show_tab(screen, pilot, "meeting")
        await pilot.press("b")
        await wait_for(lambda: isinstance(app.screen, BriefScreen))
        assert app.screen.record_id == "D-0001"  # type: ignore[attr-defined]


async def test_a_tab_chosen_at_once_is_not_switched_back(fresh: Workspace) -> None:
    """The tab strip's start-up messages arrive after the first tab is chosen: they must not
    take the strip back to the deal's stage."""
    app = AccmgrApp(fresh)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = DealScreen("D-0001")
        await app.push_screen(screen)
        await wait_for(lambda: bool(screen.query("#deal-tabs Tab")))
        screen.query_one(TabbedContent).active = "tab-objections"
        for _ in range(5):
            await pilot.pause(0.05)
            assert screen.active_tab == "objections"
