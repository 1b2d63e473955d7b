"""The pipeline board driven by keys: filter, move (ready or not), won, lost, new deal —
asserting on the store after each step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, Select, Static
from textual.widgets._footer import FooterKey

from accmgr.app import AccmgrApp
from accmgr.domain.client import FlagCategory
from accmgr.domain.deal import LostReason
from accmgr.domain.stages import Stage
from accmgr.screens.board_forms import LostForm, MoveForm, NewDealForm, WonForm
from accmgr.screens.deal import DealScreen
from accmgr.screens.pipeline import PipelineScreen
from accmgr.services import clients, deals, reliability
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.form import ConfirmDiscard, FormScreen
from accmgr.widgets.stage_column import StageColumn
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir, wait_for

__all__ = ["config_dir"]


@pytest.fixture
def board(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """Two clients; D-0001 ready to leave Prospecting, D-0002 not, D-0003 at Closing."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    clients.add_client(ws, "Kauno Baldai UAB", country="LT", tags=("furniture",))
    clients.add_client(ws, "Lisboa Têxteis Lda", country="PT", currency="PLN")
    clients.add_contact(ws, "C-0001", "Rūta Petraitė", phone="+370 600 00000")
    deals.add_deal(ws, "C-0001", "Office chairs", value=Decimal("12000"))
    deals.add_deal(ws, "C-0002", "Linen for hotels", value=Decimal("8000"), owner="Rui Costa")
    deals.add_deal(ws, "C-0001", "Desks", stage=Stage.CLOSING, reason="repeat order")
    try:
        yield ws
    finally:
        store.close()


def ids(app: AccmgrApp, stage: Stage) -> list[str]:
    return [card.deal_id for card in pipeline(app).column(stage).cards]


def pipeline(app: AccmgrApp) -> PipelineScreen:
    # The board stays under the forms pushed over it.
    return next(s for s in app.screen_stack if isinstance(s, PipelineScreen))


async def ready(app: AccmgrApp) -> PipelineScreen:
    await wait_for(lambda: isinstance(app.screen, PipelineScreen) and app.screen.ready)
    return pipeline(app)


def highlight(screen: PipelineScreen, stage: Stage, deal_id: str) -> None:
    column = screen.query_one(f"#stage-{stage.value}", StageColumn)
    assert column.select_deal(deal_id)
    column.option_list.focus()


async def test_filter_as_you_type_over_client_title_tag_and_owner(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        assert ids(app, Stage.PROSPECTING) == ["D-0001", "D-0002"]
        await pilot.press("slash", *"linen")
        await pilot.pause()
        assert ids(app, Stage.PROSPECTING) == ["D-0002"]
        assert ids(app, Stage.CLOSING) == []
        assert "1 of 3 deals match" in str(screen.query_one("#status", Static).content)
        filter_box = screen.query_one("#filter", Input)
        for needle, expected in {
            "FURNITURE": ["D-0001", "D-0003"],  # the client's tag, any case
            "rui": ["D-0002"],  # the deal's owner
            "lisboa": ["D-0002"],  # the client's name
        }.items():
            filter_box.value = needle
            await pilot.pause()
            assert sorted(ids(app, Stage.PROSPECTING) + ids(app, Stage.CLOSING)) == expected
        await pilot.press("escape")
        await pilot.pause()
        assert filter_box.value == ""
        assert ids(app, Stage.PROSPECTING) == ["D-0001", "D-0002"]
        assert ids(app, Stage.CLOSING) == ["D-0003"]


async def test_moving_a_ready_deal_needs_no_reason(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0001")
        await pilot.press("m")
        await wait_for(lambda: ids(app, Stage.CALL) == ["D-0001"])
        assert not isinstance(app.screen, FormScreen)
        assert deals.get_deal(board, "D-0001").stage == Stage.CALL
        assert deals.get_deal(board, "D-0001").current_entry.reason == ""
        # Back again with shift+left: moving back never needs a reason.
        highlight(screen, Stage.CALL, "D-0001")
        await pilot.press("shift+left")
        await wait_for(lambda: ids(app, Stage.PROSPECTING) == ["D-0001", "D-0002"])
        assert deals.get_deal(board, "D-0001").stage == Stage.PROSPECTING


async def test_moving_with_unmet_criteria_shows_what_is_missing(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        before = deals.get_deal(board, "D-0002")
        highlight(screen, Stage.PROSPECTING, "D-0002")
        await pilot.press("m")
        await wait_for(lambda: isinstance(app.screen, MoveForm))
        intro = str(app.screen.query_one(".form-intro", Static).content)
        assert "a contact person with a phone or e-mail exists" in intro
        assert "Prospecting → Call" in intro

        # Cancel writes nothing.
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, PipelineScreen))
        assert deals.get_deal(board, "D-0002").rev == before.rev

        # Save without a reason: refused beside the field, nothing written.
        highlight(screen, Stage.PROSPECTING, "D-0002")
        await pilot.press("m")
        await wait_for(lambda: isinstance(app.screen, MoveForm))
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = app.screen.query_one("#field-reason .field-message", Static)
        assert str(message.content) == "required"
        assert deals.get_deal(board, "D-0002").rev == before.rev

        # Escape with a reason typed asks first; keeping the edits stays in the form.
        await pilot.press(*"inbound call")
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, ConfirmDiscard))
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, MoveForm))

        await pilot.press("ctrl+s")
        await wait_for(lambda: ids(app, Stage.CALL) == ["D-0002"])
        moved = deals.get_deal(board, "D-0002")
        assert moved.stage == Stage.CALL
        assert moved.current_entry.reason == "inbound call"
        assert moved.current_entry.unmet == ("contact-reachable",)


async def test_choosing_a_stage_that_skips_records_the_skip(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0001")
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # from Call (highlighted) to Needs
        await wait_for(lambda: isinstance(app.screen, MoveForm))
        intro = str(app.screen.query_one(".form-intro", Static).content)
        assert "Skips: Call, Meeting" in intro
        await pilot.press(*"met at the fair", "ctrl+s")
        await wait_for(lambda: ids(app, Stage.NEEDS) == ["D-0001"])
        entry = deals.get_deal(board, "D-0001").current_entry
        assert entry.skipped == (Stage.CALL, Stage.MEETING)
        assert entry.reason == "met at the fair"


async def test_won_at_closing(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0001")
        assert screen.check_action("won", ()) is None  # only at Closing
        highlight(screen, Stage.CLOSING, "D-0003")
        await pilot.press("w")
        await wait_for(lambda: isinstance(app.screen, WonForm))
        await pilot.press("ctrl+s")
        await wait_for(lambda: ids(app, Stage.FULFILMENT) == ["D-0003"])
        won = deals.get_deal(board, "D-0003")
        assert (won.outcome, won.stage) == ("won", Stage.FULFILMENT)


async def test_lost_needs_a_reason_from_the_list_and_words(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0002")
        await pilot.press("l")
        await wait_for(lambda: isinstance(app.screen, LostForm))
        form = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(form.query_one("#field-reason .field-message", Static).content) == "choose one"
        assert str(form.query_one("#field-note .field-message", Static).content) == "required"
        assert deals.get_deal(board, "D-0002").outcome is None

        form.query_one("#reason", Select).value = LostReason.COMPETITOR
        form.query_one("#note", Input).value = "went with a local weaver"
        await pilot.press("ctrl+s")
        await wait_for(lambda: ids(app, Stage.PROSPECTING) == ["D-0001"])
        lost = deals.get_deal(board, "D-0002")
        assert (lost.outcome, lost.lost_reason) == ("lost", LostReason.COMPETITOR)
        assert lost.lost_note == "went with a local weaver"


async def test_new_deal_from_the_board(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewDealForm))
        form = app.screen
        await pilot.press(*"lisboa", "enter")  # filter the clients, then on to the title
        await pilot.pause()
        assert form.query_one("#currency", Input).value == "PLN"  # the client's currency
        await pilot.press(*"Towels", "tab")
        await pilot.press(*"1 234,50")
        await pilot.pause()
        assert "1 234.50 PLN" in str(form.query_one("#field-value .field-message", Static).content)
        await pilot.press("ctrl+s")
        await wait_for(lambda: "D-0004" in ids(app, Stage.PROSPECTING))
        new = deals.get_deal(board, "D-0004")
        assert (new.client_id, new.title, new.value, new.currency) == (
            "C-0002",
            "Towels",
            Decimal("1234.50"),
            "PLN",
        )


async def test_a_bad_amount_is_refused_beside_its_field(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewDealForm))
        form = app.screen
        form.query_one("#value", Input).value = "1,234"
        await pilot.press("ctrl+s")
        await pilot.pause()
        value_message = str(form.query_one("#field-value .field-message", Static).content)
        assert "ambiguous" in value_message
        assert str(form.query_one("#field-title .field-message", Static).content) == "required"
        assert board.store.count("deals") == 3


async def test_a_deal_changed_elsewhere_is_not_overwritten(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.PROSPECTING, "D-0002")
        await pilot.press("l")
        await wait_for(lambda: isinstance(app.screen, LostForm))
        form = app.screen
        # Meanwhile someone moves it from the command line.
        deals.move_deal(board, "D-0002", Stage.CALL, reason="phoned already")
        form.query_one("#reason", Select).value = LostReason.PRICE
        form.query_one("#note", Input).value = "too dear"
        await pilot.press("ctrl+s")
        await wait_for(
            lambda: "changed elsewhere" in str(form.query_one("#form-error", Static).content)
        )
        assert isinstance(app.screen, LostForm)
        assert deals.get_deal(board, "D-0002").outcome is None


async def test_outside_writes_appear_on_the_board(board: Workspace, tmp_path: Path) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)):
        await ready(app)
        other = open_store(tmp_path / "db")
        other_ws = Workspace(store=other, clock=frozen_now)
        deals.move_deal(other_ws, "D-0001", Stage.CALL)
        deals.add_deal(other_ws, "C-0002", "Curtains")
        other.close()
        await wait_for(lambda: ids(app, Stage.CALL) == ["D-0001"])
        assert ids(app, Stage.PROSPECTING) == ["D-0002", "D-0004"]


async def test_enter_opens_the_deal(board: Workspace) -> None:
    opened: list[str] = []
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40), message_hook=lambda m: _opened(m, opened)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.CLOSING, "D-0003")
        await pilot.press("enter")
        await wait_for(lambda: "D-0003" in opened)
        await wait_for(lambda: isinstance(app.screen, DealScreen))
        assert app.screen.deal_id == "D-0003"  # type: ignore[attr-defined]


def _opened(message: object, opened: list[str]) -> None:
    if isinstance(message, PipelineScreen.DealOpened):
        opened.append(message.deal_id)


def test_every_board_binding_has_an_id_description_and_tooltip() -> None:
    from textual.binding import Binding

    from accmgr.screens.board_legend import LegendScreen
    from accmgr.screens.board_totals import BoardTotalsScreen
    from accmgr.widgets.stage_column import CardList

    for screen in (
        PipelineScreen,
        CardList,
        LegendScreen,
        BoardTotalsScreen,
        MoveForm,
        NewDealForm,
        FormScreen,
        ConfirmDiscard,
    ):
        for binding in Binding.make_bindings(screen.BINDINGS):
            assert binding.id and binding.description and binding.tooltip, binding


async def test_entering_meeting_shows_the_clients_reliability_warnings(board: Workspace) -> None:
    """Issue 4 §2: the KAM sees an open red flag the moment the deal reaches the meeting."""
    reliability.add_flag(board, "C-0001", FlagCategory.LEGAL_DISPUTES, "Court case over a pallet")
    deal = deals.add_deal(board, "C-0001", "Shelving", stage=Stage.CALL, reason="inbound")
    sd.book_meeting(board, deal.id, planned_at=board.now() + timedelta(days=2), place="Kaunas")
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        highlight(screen, Stage.CALL, deal.id)
        await pilot.press("m")
        await wait_for(lambda: deals.get_deal(board, deal.id).stage == Stage.MEETING)
        await wait_for(lambda: any(n.severity == "warning" for n in app._notifications))
        [note] = [n for n in app._notifications if n.severity == "warning"]
        assert note.title == "Kauno Baldai UAB: reliability, before the meeting"
        assert "Court case over a pallet" in note.message


async def test_left_and_right_go_from_column_to_column(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        await pilot.press("right")
        assert screen.current_card is None  # Call is empty
        await pilot.press("right", "right", "right", "right")
        assert screen.current_card is not None and screen.current_card.deal_id == "D-0003"
        await pilot.press("left", "left", "left", "left", "left")
        assert screen.current_card is not None and screen.current_card.deal_id == "D-0001"


async def test_arrows_typed_ahead_count_from_the_column_each_one_reached(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        # Queued at once, as a key held down or typed ahead arrives.
        for _ in range(5):
            app.post_message(events.Key("right", None))
        await pilot.pause()
        assert app.focused is screen.column(Stage.CLOSING).option_list
        assert screen.current_card is not None and screen.current_card.deal_id == "D-0003"


async def test_a_damaged_deal_is_reported_and_the_keys_still_show(board: Workspace) -> None:
    # Edited by hand in the file: a negative value the app itself never writes.
    with board.store.transaction() as tx:
        doc = dict(tx.get("deals", "D-0002") or {})
        tx.update("deals", "D-0002", {**doc, "value": "-5"}, expected_rev=doc["rev"])
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: any("value" in str(n.message) for n in app._notifications))
        await pilot.pause()
        keys = {key.description for key in app.screen.query(FooterKey)}
        assert {"Filter", "New deal", "Help"} <= keys


async def test_column_totals_are_in_the_reporting_currency_and_follow_new_rates(
    board: Workspace, tmp_path: Path
) -> None:
    from accmgr.services.rates import set_rate

    app = AccmgrApp(board)
    async with app.run_test(size=(160, 45)):
        screen = await ready(app)
        column = screen.column(Stage.PROSPECTING)

        def head() -> str:
            return str(column.query_one(".stage-head", Static).content)

        # 12 000 EUR and 8 000 PLN with no rate: the PLN deal is counted apart, never added
        # (at 160 columns the head has room for "⚠ 1 PLN"; the status line says it all)
        assert head() == "2 deals ⚠ 1 PLN\n€12K · w €600"
        status = str(screen.query_one("#status", Static).content)
        assert status.endswith("⚠ 1 deal in PLN has no rate — add one in Settings")
        other = open_store(tmp_path / "db")
        set_rate(Workspace(store=other, clock=frozen_now), "EUR", "PLN", Decimal(4),
                 frozen_now().date())  # fmt: skip
        other.close()
        # The same cards, new totals: 12 000 + 8 000 ÷ 4 = 14 000 EUR, at 5 % 700
        await wait_for(lambda: head() == "2 deals\n€14K · w €700")
        assert "no rate" not in str(screen.query_one("#status", Static).content)


async def test_t_shows_the_totals_by_currency_with_rates_and_what_has_none(
    board: Workspace,
) -> None:
    from accmgr.screens.board_totals import BoardTotalsScreen

    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("t")
        await wait_for(lambda: isinstance(app.screen, BoardTotalsScreen))
        table = app.screen.query_one("#totals-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        # Open pipeline: 12 000 EUR (+ Desks at 0) added; 8 000 PLN has no rate, kept apart
        assert rows[0][:5] == ["Open pipeline", "", "3", "", "€12,000.00"]
        assert ["", "PLN", "1", "PLN\xa08,000.00", "no rate — not added", "", ""] in rows
        notes = str(app.screen.query_one("#totals-notes", Static).content)
        assert notes == "1 deal in PLN has no rate — add one in Settings"
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, PipelineScreen))


async def test_a_damaged_rates_record_leaves_the_board_with_totals_per_currency(
    board: Workspace,
) -> None:
    with board.store.transaction() as tx:
        tx.insert("rates", {"id": "FX-0001", "base": "EUR", "day": "x", "rates": {}})
    app = AccmgrApp(board)
    async with app.run_test(size=(160, 45)):
        screen = await ready(app)
        assert ids(app, Stage.PROSPECTING) == ["D-0001", "D-0002"]
        head = str(screen.column(Stage.PROSPECTING).query_one(".stage-head", Static).content)
        # Per currency, the board's way without rates: the first currency, + the others (t)
        assert head == "2 deals · +1\n€12K · w €600"
        await wait_for(lambda: any("FX-0001" in str(n.message) for n in app._notifications))
