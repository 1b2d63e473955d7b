"""Issue 10 §1: the board at every size — all eight stages from 160 columns, compact cards
and whole columns below, the stage strip under 100; the focused stage kept in view on
resize, by a filter and by Home/End; the totals with won deals kept apart; the legend."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Static

from accmgr.app import AccmgrApp
from accmgr.domain.stages import Stage
from accmgr.screens.board_legend import LegendScreen
from accmgr.screens.board_totals import BoardTotalsScreen
from accmgr.screens.help import HelpScreen
from accmgr.screens.pipeline import PipelineScreen
from accmgr.services import clients, deals
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from accmgr.widgets.deal_card import CardVisual
from accmgr.widgets.stage_strip import StageStrip
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir, wait_for

__all__ = ["config_dir"]


@pytest.fixture
def board(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """Open deals in three currencies, one with its own chance, and one won this month."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    clients.add_client(ws, "Kauno Baldai UAB", country="LT")
    clients.add_client(ws, "Lisboa Têxteis Lda", country="PT", currency="PLN")
    clients.add_client(ws, "Magyar Pékség Kft", country="HU", currency="HUF")
    deals.add_deal(ws, "C-0001", "Office chairs", value=Decimal("12000"))  # D-0001
    deals.add_deal(ws, "C-0002", "Linen for hotels", value=Decimal("8000"))  # D-0002
    deals.add_deal(
        ws, "C-0001", "Desks", value=Decimal("30000"), stage=Stage.CLOSING, reason="repeat"
    )  # D-0003
    deals.add_deal(
        ws, "C-0002", "Towels", value=Decimal("5000"), probability_override=Decimal(40)
    )  # D-0004
    racks = deals.add_deal(
        ws, "C-0001", "Racks", value=Decimal("20000"), stage=Stage.CLOSING, reason="repeat"
    )  # D-0005
    deals.win_deal(ws, racks.id)
    deals.add_deal(ws, "C-0003", "Ovens", value=Decimal("4000000"))  # D-0006
    try:
        yield ws
    finally:
        store.close()


async def ready(app: AccmgrApp) -> PipelineScreen:
    await wait_for(lambda: isinstance(app.screen, PipelineScreen) and app.screen.ready)
    screen = app.screen
    assert isinstance(screen, PipelineScreen)
    return screen


def shown(screen: PipelineScreen) -> list[Stage]:
    """The stages whose whole column is on the screen."""
    width = screen.app.size.width
    stages = []
    for stage in Stage:
        column = screen.column(stage)
        if column.display and column.region.width:
            assert column.region.x >= 0 and column.region.right <= width, stage  # never cut
            stages.append(stage)
    return stages


def text(screen: PipelineScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.mark.parametrize("size", [(160, 45), (200, 50)])
async def test_all_eight_stages_from_160_columns(board: Workspace, size: tuple[int, int]) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=size) as pilot:
        screen = await ready(app)
        await pilot.pause()
        assert shown(screen) == list(Stage)
        widths = {screen.column(stage).region.width for stage in Stage}
        assert min(widths) >= 19 and max(widths) - min(widths) <= 1  # the width shared
        assert not screen.query_one("#strip", StageStrip).display
        prospecting = screen.column(Stage.PROSPECTING).option_list
        assert prospecting.virtual_size.height == 4 * 4  # four cards of four lines


@pytest.mark.parametrize(("width", "stages"), [(100, 4), (120, 5), (159, 6)])
async def test_below_160_cards_are_two_lines_and_whole_columns_fit(
    board: Workspace, width: int, stages: int
) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(width, 40)) as pilot:
        screen = await ready(app)
        await pilot.pause()
        assert shown(screen) == list(Stage)[:stages]
        assert screen.column(Stage.PROSPECTING).option_list.virtual_size.height == 4 * 2
        assert not screen.query_one("#strip", StageStrip).display


async def test_below_100_the_strip_shows_every_stage_with_count_and_total(
    board: Workspace,
) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        await pilot.pause()
        assert shown(screen) == [Stage.PROSPECTING, Stage.CALL, Stage.MEETING]
        strip = screen.query_one("#strip", StageStrip)
        assert strip.display
        top, bottom = str(strip.render()).splitlines()
        for stage in Stage:
            assert f"{stage.number} {stage.label[:4]}" in top
        # Count and total of each stage, in the order of the stages, in the header's currency
        # (EUR, of most deals); + where the stage has amounts in other currencies too.
        assert bottom.split() == [
            *("4", "12K+", "0", "—", "0", "—", "0", "—"),
            *("0", "—", "1", "30K", "1", "20K", "0", "—"),
        ]
        # The focused stage is highlighted: its cell, and only it, in reverse.
        assert highlighted(strip) == ["1 Prospe… ", "4 12K+    "]  # its two lines
        await pilot.press("end")
        await pilot.pause()
        assert highlighted(strip) == ["8 Referr… ", "0 —       "]


def highlighted(strip: StageStrip) -> list[str]:
    content = strip.render()
    assert isinstance(content, Content)
    return [content.plain[s.start : s.end] for s in content.spans if "reverse" in str(s.style)]


async def test_the_focused_stage_stays_in_view_on_resize(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await ready(app)
        await pilot.press("right", "right", "right", "right", "right", "right")  # Fulfilment
        await pilot.pause()
        assert app.focused is screen.column(Stage.FULFILMENT).option_list
        for width, height in ((80, 24), (120, 40), (100, 30), (160, 45), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert Stage.FULFILMENT in shown(screen), (width, height)
            assert app.focused is screen.column(Stage.FULFILMENT).option_list


async def test_home_and_end_go_to_the_first_and_last_stage(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        await pilot.press("end")
        await pilot.pause()
        assert app.focused is screen.column(Stage.REFERRALS).option_list
        assert shown(screen) == [Stage.CLOSING, Stage.FULFILMENT, Stage.REFERRALS]
        await pilot.press("home")
        await pilot.pause()
        assert app.focused is screen.column(Stage.PROSPECTING).option_list
        assert shown(screen) == [Stage.PROSPECTING, Stage.CALL, Stage.MEETING]
        assert screen.current_card is not None and screen.current_card.deal_id == "D-0001"


async def test_a_filter_brings_the_first_matching_column_into_view(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        await pilot.press("slash", *"desks")
        await pilot.pause()
        assert Stage.CLOSING in shown(screen)
        await pilot.press("enter")  # from the filter to the matching card
        await pilot.pause()
        assert screen.current_card is not None and screen.current_card.deal_id == "D-0003"
        await pilot.press("escape")
        await pilot.pause()
        assert Stage.CLOSING in shown(screen)  # clearing the filter does not jump away


async def test_the_header_keeps_won_deals_apart_from_the_pipeline(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await ready(app)
        await pilot.pause()
        # Open EUR: 12 000 + 30 000 (the won 20 000 is not pipeline); weighted EUR:
        # 12 000 × 5 % + 30 000 × 70 % = 21 600; won this month: the racks, 20 000 EUR.
        header = text(screen, "#totals")
        assert header.startswith("Open pipeline €42K · weighted €21.6K · won this month €20K"), (
            header
        )
        # No rates in this board: PLN and HUF are left out of every figure, and flagged
        status = text(screen, "#status")
        assert "⚠ 2 deals in PLN have no rate — add one in Settings" in status
        assert "⚠ 1 deal in HUF has no rate — add one in Settings" in status
        fulfilment = text(screen, "#stage-fulfilment .stage-head")
        assert fulfilment.splitlines() == ["1 deal", "won €20K"]
        [card] = screen.column(Stage.FULFILMENT).cards
        assert card.won and card.weighted == 0 and not card.stalled
        visual = card.option.prompt
        assert isinstance(visual, CardVisual)
        assert "€20,000 · won" in str(visual.content(30))
        prospecting = text(screen, "#stage-prospecting .stage-head")
        assert prospecting.splitlines() == ["4 ⚠ 1 HUF, 2 PLN", "€12K · w €600"]


async def test_t_lists_every_currencys_amounts(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("t")
        await wait_for(lambda: isinstance(app.screen, BoardTotalsScreen))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        # The header's figures first, each currency's part under them; no rate: not added.
        assert rows[:4] == [
            ["Open pipeline", "", "5", "", "€42,000.00", "", ""],
            ["", "EUR", "2", "€42,000.00", "€42,000.00", "", ""],
            ["", "PLN", "2", "PLN\xa013,000.00", "no rate — not added", "", ""],
            ["", "HUF", "1", "HUF\xa04,000,000.00", "no rate — not added", "", ""],
        ]
        # EUR weighted: 12 000 × 5 % + 30 000 × 70 % = 21 600; the won racks apart.
        assert rows[4][4] == "€21,600.00" and rows[8][:5] == [
            "Won, on the board",
            "",
            "1",
            "",
            "€20,000.00",
        ]
        assert rows[10:12] == [
            ["Won this month", "", "", "", "€20,000.00", "", ""],
            ["", "EUR", "", "€20,000.00", "€20,000.00", "", ""],
        ]
        # Then each stage with deals, the currency of most deals first.
        assert rows[12:16] == [
            ["1 Prospecting", "", "4", "", "€12,000.00", "", ""],
            ["", "PLN", "2", "PLN\xa013,000.00", "no rate — not added", "", ""],
            ["", "EUR", "1", "€12,000.00", "€12,000.00", "", ""],
            ["", "HUF", "1", "HUF\xa04,000,000.00", "no rate — not added", "", ""],
        ]
        assert [r[0] for r in rows[16:] if r[0]] == ["6 Closing", "7 Fulfilment, won"]
        notes = text(app.screen, "#totals-notes").splitlines()
        assert notes == [
            "1 deal in HUF has no rate — add one in Settings",
            "2 deals in PLN have no rate — add one in Settings",
        ]


async def test_question_mark_on_a_card_explains_its_markers(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(app)
        column = screen.column(Stage.PROSPECTING)
        assert column.select_deal("D-0004")
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(app.screen, LegendScreen))
        explained = str(app.screen.query_one("#legend-card", Static).render())
        assert "Chance 40%*: set on this deal; the Prospecting default is 5%." in explained
        assert "Stalled: no next step with a date." in explained
        markers = [str(m.render()) for m in app.screen.query(".legend-marker").results(Static)]
        assert "40%* (20%)" in markers and "⏸ stalled / ⏸" in markers
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, PipelineScreen))


async def test_f1_help_on_the_board_has_the_legend(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app)
        await pilot.press("f1")
        await wait_for(lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        keys = {row[1] for row in rows}
        assert {"pipeline.first_stage", "pipeline.last_stage", "pipeline.totals"} <= keys
        assert {"pipeline.explain"} <= keys
        statics = list(app.screen.query("#help-legend Static").results(Static))
        cells = [str(static.render()) for static in statics]
        legend = dict(zip(cells[::2], cells[1::2], strict=True))
        assert "stage's default" in legend["40%* (20%)"]
        assert legend["⊘ reliability / ⊘"].startswith("stop: the client is rated D")
        assert legend["6 Closing"] == "default chance 70%, stalled after 30 days"


async def test_a_reload_under_a_filter_does_not_move_the_board(board: Workspace) -> None:
    app = AccmgrApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        await pilot.press("slash", *"chairs", "enter")
        await pilot.pause()
        prospecting = screen.column(Stage.PROSPECTING).option_list
        assert app.focused is prospecting
        # Moved from the command line: the card leaves the column the user is in.
        deals.move_deal(board, "D-0001", Stage.NEEDS, reason="met at the fair")
        needs = screen.column(Stage.NEEDS)
        await wait_for(lambda: [c.deal_id for c in needs.cards] == ["D-0001"])
        await pilot.pause()
        assert app.focused is prospecting
        assert shown(screen) == [Stage.PROSPECTING, Stage.CALL, Stage.MEETING]
        # The keys act on the column in focus (now empty), not on a card elsewhere.
        assert screen.current_card is None


async def test_the_strip_gives_its_totals_in_the_currency_of_the_cards_shown(
    board: Workspace,
) -> None:
    """When the rates cannot be read (a damaged record) the totals are per currency."""
    with board.store.transaction() as tx:
        tx.insert("rates", {"id": "FX-0001", "base": "EUR", "day": "x", "rates": {}})
    app = AccmgrApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        await pilot.press("slash", *"lisboa")  # the Polish client's deals: all in PLN
        await pilot.pause()
        strip = screen.query_one("#strip", StageStrip)
        assert str(strip.render()).splitlines()[1].split()[:2] == ["2", "13K"]
        assert text(screen, "#status").endswith("· strip totals in PLN")
        assert text(screen, "#totals").startswith("Open €42K")  # the whole board's


async def test_with_a_rate_the_strip_gives_its_totals_in_the_reporting_currency(
    board: Workspace,
) -> None:
    from accmgr.services.rates import set_rate

    set_rate(board, "EUR", "PLN", Decimal(5), frozen_now().date())
    app = AccmgrApp(board)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app)
        await pilot.press("slash", *"lisboa")  # the Polish client's deals: all in PLN
        await pilot.pause()
        strip = screen.query_one("#strip", StageStrip)
        # 8 000 + 5 000 PLN ÷ 5 = 2 600 EUR, like every other figure on the board
        assert str(strip.render()).splitlines()[1].split()[:2] == ["2", "2.6K"]
        assert "strip totals in" not in text(screen, "#status")
